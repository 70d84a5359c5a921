"""A browser's part before and after the load: signing in through the sign-in form, and checking that each page
answers what it should (so that wrk's figures are those of the page, not of a redirect or an error page).

The session cookie wrk sends is the one a browser holds after signing in and visiting the pages once: the flash
message shown after sign-in is consumed and the session holds its CSRF token, so no request under load has to write
a new cookie that a browser would have kept.
"""

import gzip
import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.servers import HOST, SetupFailed

# What a French browser sends on a link followed inside the portal; gzip makes the portal compress as in production.
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "fr", "User-Agent": "portal-bench",
           "Sec-Fetch-Site": "same-origin"}
SIGNED_IN_MARK = "Se déconnecter"
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Visitor:
    """One browser on one server: it keeps the cookies it is given."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))

    def headers(self) -> dict[str, str]:
        return {**HEADERS, "Cookie": self.cookie_header()} if self.cookies else dict(HEADERS)

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = self.headers()
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if response.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return Answer(response.status, response.headers, raw.decode("utf-8", errors="replace"))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)


def csrf_token(html: str) -> str:
    tag = _CSRF.search(html)
    value = _VALUE.search(tag.group(0)) if tag else None
    if value is None:
        raise SetupFailed("no CSRF token in the sign-in form", html[:2000])
    return value.group(1)


def sign_in(port: int, email: str, password: str) -> Visitor:
    """Sign in with the form, as a learner does ("Rester connecté" ticked), and follow the redirect."""
    visitor = Visitor(port)
    form = visitor.get("/connexion")
    answer = visitor.request("POST", "/connexion", {"csrf_token": csrf_token(form.text), "email": email,
                                                    "password": password, "remember": "y"})
    if answer.status != 302:
        raise SetupFailed(f"sign-in answered {answer.status} instead of a redirect", answer.text[:2000])
    home = visitor.get(answer.headers.get("Location", "/"))
    if SIGNED_IN_MARK not in home.text:
        raise SetupFailed("signed in, but the home page does not show it", home.text[:2000])
    return visitor


def check(visitor: Visitor, path: str, marks: tuple[str, ...]) -> Answer:
    """The page answers 200 with every one of `marks` in it."""
    answer = visitor.get(path)
    missing = [mark for mark in marks if mark not in answer.text]
    if answer.status != 200 or missing:
        raise SetupFailed(f"GET {path} answered {answer.status}, missing {missing}",
                          f"Location: {answer.headers.get('Location')}\n{answer.text[:3000]}")
    return answer
