"""One JSON object per log line, so log collectors can index requests and errors without parsing text."""

import datetime
import json
import logging
import re

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


# Secrets carried in addresses (password-reset and unsubscribe links) never reach the logs.
_SECRET_IN_PATH = [
    (re.compile(r"(/password/reset/)[^/\s]+/[^/\s]+/"), r"\1[redacted]/[redacted]/"),
    (re.compile(r"(/unsubscribe/)[^/\s]+/"), r"\1[redacted]/"),
]


def redact(text):
    """``text`` with the tokens of password-reset and unsubscribe addresses replaced by "[redacted]"."""
    if not isinstance(text, str):
        return text
    for pattern, replacement in _SECRET_IN_PATH:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """Format a record as JSON: time, level, logger, message, the ``extra`` fields and any traceback."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if key == "request":
                # django.request attaches the HttpRequest itself; keep what identifies it.
                entry.setdefault("method", getattr(value, "method", None))
                entry.setdefault("path", redact(getattr(value, "path", None)))
                entry.setdefault("request_id", getattr(value, "id", None))
                continue
            entry[key] = redact(value) if key == "path" else value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
