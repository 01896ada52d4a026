"""Settings for `make mutate`: the project's settings with a file-backed SQLite test database.

mutmut starts one pytest session per mutant; with the test database in a file, `--reuse-db`
(in addopts) migrates it once instead of once per mutant.
"""

from dialogue_portal.settings import *  # noqa: F403
from dialogue_portal.settings import BASE_DIR, DATABASES

DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "mutants-test.sqlite3")}
