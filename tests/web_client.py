"""An HTTP client for the web page as the page's own browser uses it: Host 127.0.0.1, and in every POST the secret
the page puts into its forms (read from the front page, as a browser has it)."""

import re

from starlette.testclient import TestClient


class PageClient(TestClient):
    def __init__(self, app, **kwargs):
        super().__init__(app, base_url="http://127.0.0.1:8765", **kwargs)
        self._secret = None

    @property
    def secret(self) -> str:
        if self._secret is None:
            page = self.get("/").text
            self._secret = re.search(r'<input type="hidden" name="csrf" value="([^"]+)">', page).group(1)
        return self._secret

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf", self.secret)
        return super().post(url, data=data, **kwargs)
