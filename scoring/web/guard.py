"""The web page's security rules, in one place (docs/safety.md “网页”):

- Host: a request is answered only when its Host header names this server — 127.0.0.1, localhost, [::1], or the
  address given with --host (and, for 0.0.0.0, this computer's own names and addresses). A page from another site
  reached through a DNS name that resolves here (DNS rebinding) is refused.
- Origin: a state-changing request (any method but GET/HEAD) whose Origin or Referer names another site is refused
  before its body is read; the page's own forms also carry the server's secret (`FORM_SECRET_FIELD`), checked by
  the app before anything is saved, so a cross-site form POST that sends neither header is refused as well.
- Size: a body is counted while it streams, declared (Content-Length) or chunked, and cut at the limit.
Answers are short Chinese pages; nothing here reads files or parses forms."""

from __future__ import annotations

import ipaddress
import secrets
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

FORM_SECRET_FIELD = "csrf"  # the hidden field of every form of the page
BODY_SLACK = 256 * 1024  # multipart boundaries, headers and text fields on top of the files' own bytes
SAFE_METHODS = {"GET", "HEAD"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}


class BodyTooLarge(Exception):
    """A request body went over the limit while it was being read."""


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def same_secret(given, secret: str) -> bool:
    return isinstance(given, str) and secrets.compare_digest(given.encode("utf-8", "replace"), secret.encode())


def host_names(bound: str) -> set[str]:
    """The Host names this server answers to when bound to `bound` (lower case, no port, IPv6 without brackets)."""
    names = set(LOOPBACK_NAMES)
    if bound:
        names.add(bound.strip("[]").lower())
    try:
        wildcard = ipaddress.ip_address(bound.strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:  # 0.0.0.0 / :: — reached by this computer's own names and addresses
        hostname = socket.gethostname()
        names |= {hostname.lower(), socket.getfqdn().lower()}
        try:
            names |= {info[4][0].lower() for info in socket.getaddrinfo(hostname, None)}
        except OSError:
            pass
    return names


def host_of(value: str) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`, `[::1]:80` → `::1`, `LocalHost` → `localhost`; "" when unreadable."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else ""
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware applying the rules above to every HTTP request; `reject(status, message)` renders the page."""

    def __init__(self, app, allowed_hosts: set[str], max_body: int, reject: Callable[[int, str], bytes]):
        self.app, self.allowed, self.max_body, self.reject = app, allowed_hosts, max_body + BODY_SLACK, reject

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if host_of(host) not in self.allowed:
            return await self._answer(send, 421, "这个地址不是评分网页的地址：请在本机浏览器中打开 http://127.0.0.1:端口/ "
                                                 "（启动评分网页时窗口里显示的地址）")
        if scope["method"] not in SAFE_METHODS:
            source = headers.get("origin") or headers.get("referer") or ""
            if source and (source == "null" or urlsplit(source).netloc.lower() != host.lower()):
                return await self._answer(send, 403, NOT_FROM_PAGE)
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > self.max_body):
            return await self._answer(send, 413, too_large(self.max_body - BODY_SLACK))
        counted = 0

        async def counting_receive():
            nonlocal counted
            message = await receive()
            if message["type"] == "http.request":
                counted += len(message.get("body", b""))
                if counted > self.max_body:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counting_receive, send)

    async def _answer(self, send, status: int, message: str) -> None:
        body = self.reject(status, message)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


NOT_FROM_PAGE = "请求不是从评分网页本身发出的，已拒绝：请打开评分网页，在网页上选择文件后再提交"
STALE_PAGE = "网页已过期（评分网页重新启动过）或请求不是从评分网页发出的：请刷新评分网页，重新选择文件后提交"


def too_large(limit: int) -> str:
    return f"上传的文件太大：一次最多 {limit // (1024 * 1024)} MB。请分批上传，或只上传需要的工作簿"
