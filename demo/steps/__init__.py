"""The steps of ``seed_demo``, one module per app they fill: community, events, accessories, staff,
and the optional second showroom."""
