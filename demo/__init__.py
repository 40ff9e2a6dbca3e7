"""The demo dealership: Harbourside MINI with its members, cars, clubs, posts, events, accessories
and service lounge, built by ``manage.py seed_demo`` for `make run` and public demo sites.

The demo is data: what it contains lives in demo/data/*.toml, read by :mod:`demo.data`; the steps
in :mod:`demo.steps` write it with Paddock's models and services, :mod:`demo.seed` runs them, and
:mod:`demo.images` / :mod:`demo.accessory_images` draw its pictures with Pillow. It is the top layer:
it may import every app, and no app imports it.
"""
