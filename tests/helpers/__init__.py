"""Helpers shared by several test modules. Tests import them from here, never from
another test module or a conftest (a test checks that).

- ``site``: the test site's PIN and time zone; ``ui``: driving the kiosk with keys
  (``make_app``, ``login``, ``type_text``, ``screen_text``, ``wait_until``).
- ``patrol``, ``incidents``, ``handover``: set-ups of a feature (a route, a fire
  alarm's fields, a signed handover or report).
- ``faults``, ``tamper``, ``migrations``: provoking database faults, tampering
  with a file, opening older schema versions.
- ``report_site``: a small site with known records for the reports;
  ``pg``: a throwaway PostgreSQL cluster; ``cli``, ``tmux``: the installed command.
- ``import_graph``: the package's imports read from the source, for the import
  contract.
"""
