"""The size a request body may have: MAX_CONTENT_LENGTH for a form with files, MAX_FORM_MEMORY_SIZE otherwise.

Werkzeug applies MAX_FORM_MEMORY_SIZE to each text field of a multipart form only; a URL-encoded form or a JSON
body is read whole. Here every body that is not a multipart form has the smaller limit too, so that only an
upload may be large. Either limit answers 413 from the Content-Length, before the body is read."""

from flask import Request, current_app


class PortalRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        limit = super().max_content_length
        if self._max_content_length is not None or limit is None or self.mimetype == "multipart/form-data":
            return limit
        return min(limit, int(current_app.config["MAX_FORM_MEMORY_SIZE"]))

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
