from warta.lib.filenames import file_part


def test_a_typed_name_becomes_a_safe_file_name_piece() -> None:
    assert file_part("Dinkes", fallback="x") == "dinkes"
    assert file_part("../../etc/passwd", fallback="x") == "etcpasswd"
    assert file_part('Din"kes\r\nSet-Cookie: a', fallback="x") == "dinkes-set-cookie-a"
    assert file_part("..", fallback="opd-7") == "opd-7"
