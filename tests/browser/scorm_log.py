"""A strict reader of the recorded SCORM call log: scorm-again is lenient, the spec and real LMSs are not.

``calls`` is what ``scorm_host/host.js`` records: ``{"method", "args", "result", "error"}`` per call.
"""

import re

VOCABULARY = {
    "1.2": {
        "types": {"true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"},
        "results": {"correct", "wrong", "unanticipated", "neutral"},
        "session": re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"),
        "budget": 4096,
    },
    "2004": {
        "types": {
            "true-false",
            "choice",
            "fill-in",
            "long-fill-in",
            "matching",
            "performance",
            "sequencing",
            "likert",
            "numeric",
            "other",
        },
        "results": {"correct", "incorrect", "unanticipated", "neutral"},
        "session": re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"),
        "budget": 64000,
    },
}
CMI_IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
INTERACTION = re.compile(r"^cmi\.interactions\.(\d+)\.(.+)$")


def method_names(version: str) -> dict[str, str]:
    """The API's method names for ``version``."""
    if version == "1.2":
        return {"init": "LMSInitialize", "finish": "LMSFinish", "set": "LMSSetValue", "commit": "LMSCommit"}
    return {"init": "Initialize", "finish": "Terminate", "set": "SetValue", "commit": "Commit"}


def set_values(calls: list[dict], version: str) -> list[tuple[str, str]]:
    """Every SetValue, in order, as (element, value)."""
    name = method_names(version)["set"]
    return [(call["args"][0], call["args"][1]) for call in calls if call["method"] == name]


def last_values(calls: list[dict], version: str) -> dict[str, str]:
    """The last value written to each element."""
    return dict(set_values(calls, version))


def problems(calls: list[dict], version: str) -> list[str]:
    """Every way the log breaks the spec or a known LMS rule; empty when it is clean."""
    names = method_names(version)
    found = _lifecycle(calls, names)
    found += [f"{c['method']}{c['args']} returned {c['result']} (error {c['error']})" for c in calls if _failed(c)]
    writes = set_values(calls, version)
    found += _interaction_problems(writes, version)
    found += _value_problems(writes, version)
    return found


def _failed(call: dict) -> bool:
    return "GetValue" not in call["method"] and call["result"] != "true"


def _lifecycle(calls: list[dict], names: dict) -> list[str]:
    methods = [call["method"] for call in calls]
    found = []
    if not methods or methods[0] != names["init"]:
        found.append(f"the first call is {methods[:1]}, not {names['init']}")
    if methods.count(names["init"]) != 1:
        found.append(f"{names['init']} called {methods.count(names['init'])} times")
    if methods.count(names["finish"]) != 1:
        found.append(f"{names['finish']} called {methods.count(names['finish'])} times")
    elif methods.index(names["finish"]) != len(methods) - 1:
        found.append(f"calls after {names['finish']}: {methods[methods.index(names['finish']) + 1 :]}")
    if names["finish"] == "Terminate" and len(methods) > 1 and methods[-2:] == ["Commit", "Terminate"]:
        found.append("Commit right before Terminate (some LMSs fail it with 391)")
    return found


def _interaction_problems(writes: list[tuple[str, str]], version: str) -> list[str]:
    vocabulary, found, started = VOCABULARY[version], [], set()
    for element, value in writes:
        if "NaN" in element or "undefined" in element:
            found.append(f"broken element name {element}")
        match = INTERACTION.match(element)
        if not match:
            continue
        index, field = match.groups()
        if index not in started and field != "id":
            found.append(f"{element} written before cmi.interactions.{index}.id")
        started.add(index)
        found += _interaction_field(element, field, value, version, vocabulary)
    return found


def _interaction_field(element: str, field: str, value: str, version: str, vocabulary: dict) -> list[str]:
    if field == "id" and version == "1.2" and not CMI_IDENTIFIER.match(value):
        return [f"{element}={value!r} is not a CMIIdentifier"]
    if field == "id" and version == "2004" and (re.search(r"\s", value) or len(value) > 4000):
        return [f"{element}={value!r} is not a long_identifier_type"]
    if field == "type" and value not in vocabulary["types"]:
        return [f"{element}={value!r} is not a {version} interaction type"]
    if field == "result" and value not in vocabulary["results"]:
        return [f"{element}={value!r} is not a {version} result"]
    if field in ("student_response", "learner_response") and ("\n" in value or "\r" in value):
        return [f"{element} contains a line break"]
    if field == "student_response" and len(value) > 255:
        return [f"{element} is longer than 255 characters"]
    if field in ("timestamp",) and re.search(r"(Z|[+-]\d\d:?\d\d)$", value) and "." not in value:
        return [f"{element}={value!r} has a time zone without fractional seconds"]
    return []


def _value_problems(writes: list[tuple[str, str]], version: str) -> list[str]:
    vocabulary, found = VOCABULARY[version], []
    elements = [element for element, _ in writes]
    for element, value in writes:
        if element == "cmi.suspend_data" and (len(value) > vocabulary["budget"] or not value.isascii()):
            found.append(f"suspend_data of {len(value)} characters (ASCII: {value.isascii()}) breaks the budget")
        if element.endswith("session_time") and not vocabulary["session"].match(value):
            found.append(f"{element}={value!r} is not a {version} session time")
        if element == "cmi.core.score.raw" and not 0 <= float(value) <= 100:
            found.append(f"{element}={value} outside 0-100")
        if element == "cmi.score.scaled" and not -1 <= float(value) <= 1:
            found.append(f"{element}={value} outside -1..1")
    if "cmi.score.scaled" in elements and "cmi.score.raw" in elements:
        if elements.index("cmi.score.raw") > elements.index("cmi.score.scaled"):
            found.append("cmi.score.raw written after cmi.score.scaled (Open edX keeps the last one)")
    return found
