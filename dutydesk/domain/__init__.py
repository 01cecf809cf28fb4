"""The duty rules, in plain Python.

This package never imports textual (a test proves it): screens call it, it
calls the models. Each rule lives in one function and cites its id from
``docs/rules.md``.
"""
