from .lounge import Appointment, LoungeImport

__all__ = ["Appointment", "LoungeImport"]
