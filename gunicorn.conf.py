"""gunicorn settings beyond the command line (gunicorn reads this file from the working directory).

Once a worker has loaded the app, every object alive then — modules, the app, SQLAlchemy's mappers and
compiled-statement cache, Jinja's compiled templates: ~200,000 of them — moves to the permanent generation
(``gc.freeze``), so the cyclic garbage collector stops walking them at each collection. Measured on the
lead list: the collector's time per request halved (0.75 → 0.39 ms).
"""

import gc


def post_worker_init(worker):
    """Freeze what the freshly loaded app holds (see the module docstring)."""
    gc.freeze()
    worker.log.info("froze %d objects of the loaded app", gc.get_freeze_count())
