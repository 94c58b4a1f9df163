"""Run Ralph's LRS API with its file-system backend: ``python ralph_serve.py PORT``, run by Ralph's own venv.

Ralph 5.1's file-system backend writes with ``INDEX`` by default, which refuses a second write to its one
statements file ("already exists and overwrite is not allowed"); appending is what an LRS of many requests needs,
so this launcher makes it the default before the API starts. Settings come from the environment (RALPH_*).
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
