"""The demo platform answers its main pages over real HTTP."""


def test_main_pages_answer(http):
    for path in ("/", "/organisations", "/programmes", "/municipalities", "/healthz"):
        assert http.get(path).status_code == 200, path
