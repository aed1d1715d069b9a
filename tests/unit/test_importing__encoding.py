import codecs

import pytest

from engine.importing import UnreadableFile, detect_encoding

TEXT = "企业名称,统一社会信用代码\n石家庄市长安区老王餐馆,91310110666007217T\n"


def chunks_of(data: bytes, size: int = 7):
    return lambda: (data[i : i + size] for i in range(0, len(data), size))


def test_encoding__bom_means_utf8_sig():
    assert detect_encoding(chunks_of(codecs.BOM_UTF8 + TEXT.encode())) == "utf-8-sig"


def test_encoding__plain_utf8_even_when_a_character_spans_chunks():
    # 7-byte chunks cut three-byte characters in half: the decoder must be incremental.
    assert detect_encoding(chunks_of(TEXT.encode("utf-8"))) == "utf-8"


def test_encoding__gbk_is_read_as_gb18030():
    assert detect_encoding(chunks_of(TEXT.encode("gbk"))) == "gb18030"


def test_encoding__utf16_is_refused_with_advice():
    with pytest.raises(UnreadableFile, match="UTF-16"):
        detect_encoding(chunks_of(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")))


def test_encoding__bytes_neither_utf8_nor_gb18030_are_refused():
    with pytest.raises(UnreadableFile, match="无法识别文件编码"):
        detect_encoding(chunks_of(b"\x81\x30\xff\xff\xfe abc"))


def test_encoding__empty_file_is_utf8():
    assert detect_encoding(chunks_of(b"")) == "utf-8"
