"""Sales leads: what a member's car is worth, their next car, a test drive, what staff heard.

Writes in ``services`` (``sales_lead_create`` and the CRM sends), reads in ``selectors`` (the
lead as ADF, a member's leads), member forms in ``forms``, member pages in ``views``. The model is
``community.models.SalesLead``; the Leads admin that lists every kind is the staff layer's.
"""
