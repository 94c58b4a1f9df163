"""Validate xAPI statements with Ralph's strict xAPI 1.0.3 models; run by Ralph's venv (``make ralph``).

Ralph's POST accepts any statement with an actor, a verb and an object (its "lax" model); this checks the rest
(result, context, interaction definitions, language maps, durations) as its strict ``BaseXapiStatement`` does.
Reads a JSON list of statements on stdin; prints one line per invalid statement: its index, verb and the errors.
"""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

for index, statement in enumerate(json.load(sys.stdin)):
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as error:
        sys.stdout.write(f"{index} {statement['verb']['id']}: {error}".replace("\n", " | ") + "\n")
