"""Deterministic demo data generator for the winback dbt project.

`generate` is imported lazily so that `python -m winback_data.generate` does not load
the module twice."""


def generate(*args, **kwargs):
    from winback_data.generate import generate as _generate

    return _generate(*args, **kwargs)


generate.__doc__ = "See winback_data.generate.generate."
