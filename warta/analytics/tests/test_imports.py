from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from warta.analytics.imports.services import metric_import_create, metric_import_process
from warta.analytics.models import MetricImport, MetricSnapshot
from warta.channels.models import Channel
from warta.content.models import Post, PostVariant
from warta.testing.spreadsheets import xlsx

SAMPLES = Path(__file__).parent / "samples"
NOW = datetime(2026, 10, 30, 4, 0, tzinfo=UTC)


def _channel(world, platform: str) -> Channel:
    if platform == "instagram":
        return world.channel_a
    return Channel.objects.create(
        agency=world.agency_a, platform=platform, handle=f"dinkes-{platform}", mode="export"
    )


def _run(channel: Channel, data: bytes, name: str, **kwargs) -> MetricImport:
    job = metric_import_create(channel=channel, data=data, filename=name, actor=None, **kwargs)
    return metric_import_process(import_id=job.pk)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("sample", "platform", "posts", "fmt"),
    [
        ("meta_facebook_en.csv", "facebook", 3, "meta_facebook"),
        ("meta_facebook_cp1252.csv", "facebook", 1, "meta_facebook"),
        ("meta_instagram_id.csv", "instagram", 3, "meta_instagram"),
        ("tiktok_id_utf16.txt", "tiktok", 2, "tiktok"),
        ("x_en.csv", "x", 2, "x"),
        ("youtube_id.csv", "youtube", 2, "youtube"),
        ("youtube_en.csv", "youtube", 1, "youtube"),
    ],
)
def test_it_imports_each_platforms_export(world, sample, platform, posts, fmt) -> None:
    channel = _channel(world, platform)
    job = _run(channel, (SAMPLES / sample).read_bytes(), sample)
    assert job.status == "done", job.error
    assert job.detected_format == fmt
    assert job.row_errors == []
    assert (job.created_count, job.posts_created) == (posts, posts)
    assert MetricSnapshot.objects.filter(variant__channel=channel).count() == posts
    assert PostVariant.objects.filter(channel=channel, status="published").count() == posts


@time_machine.travel(NOW, tick=False)
def test_it_reads_numbers_dates_and_zones_as_the_export_writes_them(world) -> None:
    _run(world.channel_a, (SAMPLES / "meta_instagram_id.csv").read_bytes(), "ig.csv")
    reel = PostVariant.objects.get(platform_post_id="17890000000000002")
    # 15/10/2026 16:45 in the region's zone (WITA, UTC+8); "10.220" is ten thousand.
    assert reel.published_at == datetime(2026, 10, 15, 8, 45, tzinfo=UTC)
    snap = reel.metrics.get()
    assert (snap.impressions, snap.reach, snap.likes, snap.saves) == (10220, 8015, 1002, 120)
    assert reel.caption == "Reels: cara cuci tangan yang benar"


@time_machine.travel(NOW, tick=False)
def test_it_takes_us_dates_in_english_meta_exports_and_an_explicit_zone(world) -> None:
    fb = _channel(world, "facebook")
    _run(
        fb,
        (SAMPLES / "meta_facebook_en.csv").read_bytes(),
        "fb.csv",
        source_timezone="America/Los_Angeles",
    )
    first = PostVariant.objects.get(platform_post_id="1029384756_111")
    assert first.published_at == datetime(2026, 10, 7, 16, 15, tzinfo=UTC)
    assert first.metrics.get().impressions == 5210


@time_machine.travel(NOW, tick=False)
def test_it_matches_existing_posts_and_creates_nothing_on_reimport(world) -> None:
    fb = _channel(world, "facebook")
    post = Post.objects.create(agency=world.agency_a, message="Vaksinasi")
    PostVariant.objects.create(
        post=post,
        channel=fb,
        status="published",
        published_at=NOW,
        platform_post_id="1029384756_111",
    )
    data = (SAMPLES / "meta_facebook_en.csv").read_bytes()
    first = _run(fb, data, "fb.csv")
    assert first.posts_created == 2
    again = _run(fb, data, "fb-again.csv")
    assert again.status == "done"
    assert (again.created_count, again.posts_created) == (0, 0)
    assert "sudah diimpor" in again.error
    # Same figures in a different file (re-saved as XLSX): still nothing new.
    rows = [
        line.split(",")
        for line in [
            "Post ID,Publish time,Impressions,Reach,Reactions,Comments,Shares",
            "1029384756_113,10/21/2026 08:00,1200,880,35,3,2",
        ]
    ]
    same = _run(fb, xlsx(rows), "fb.xlsx")
    assert (same.created_count, same.unchanged_count) == (0, 1)
    assert MetricSnapshot.objects.count() == 3
    # Running the same job twice creates nothing either.
    assert metric_import_process(import_id=same.pk).created_count == 0


@time_machine.travel(NOW, tick=False)
def test_it_imports_xlsx_with_a_title_row_and_typed_cells(world) -> None:
    tiktok = _channel(world, "tiktok")
    data = xlsx(
        [
            ["Konten TikTok dinkes.uji 1 Okt – 28 Okt 2026"],  # noqa: RUF001  (typographic dash/sign on purpose)
            [
                "Video ID",
                "Video title",
                "Post time",
                "Total views",
                "Total likes",
                "Total comments",
                "Total shares",
            ],
            # TikTok writes ids as text (a 19-digit number would not survive as a double).
            [
                "7420000000000000001",
                "Senam pagi",
                datetime(2026, 10, 9, 7, 30),
                12400,
                1020,
                45,
                33.0,
            ],
        ]
    )
    job = _run(tiktok, data, "Content.xlsx")
    assert job.status == "done", job.error
    variant = PostVariant.objects.get(channel=tiktok)
    assert variant.platform_post_id == "7420000000000000001"
    assert variant.metrics.get().views == 12400


@time_machine.travel(NOW, tick=False)
def test_it_reports_bad_rows_by_line_and_imports_the_rest(world) -> None:
    fb = _channel(world, "facebook")
    data = (
        b"Post ID,Publish time,Description,Reach,Impressions,Reactions,Comments,Shares\n"
        b"1,10/01/2026 08:00,ok,100,120,5,1,0\n"
        b"2,10/02/2026 08:00,negatif,-5,120,5,1,0\n"
        b"3,12/24/2026 08:00,masa depan,100,120,5,1,0\n"
        b"4,bukan tanggal,rusak,100,120,5,1,0\n"
        b"1,10/01/2026 08:00,ganda,100,120,5,1,0\n"
        b"5,10/03/2026 08:00,huruf,banyak,120,5,1,0\n"
        b"6,10/04/2026 08:00,ok,200,220,7,2,1\n"
    )
    job = _run(fb, data, "fb.csv")
    assert job.status == "done"
    assert job.created_count == 2
    lines = {e["line"]: e["message"] for e in job.row_errors}
    assert set(lines) == {3, 4, 5, 6, 7}
    assert "negatif" in lines[3]
    assert "masa depan" in lines[4]
    assert "tidak dikenali" in lines[5]
    assert "baris ganda (sama dengan baris 2)" in lines[6]
    assert "bukan angka" in lines[7]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Post ID,Likes\n1,5\n", "fb.csv", "Kolom wajib tidak ditemukan"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "grafik.csv", "bukan teks"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lama.xls", ".xls"),
        (b"hanya satu kolom\nbaris\n", "x.csv", "tabel"),
        (b"%PDF-1.7 hello", "laporan.pdf", "tidak sesuai"),
        (b'Post ID,Publish time\n1,"' + b"x" * 200_000 + b'"\n', "fb.csv", "CSV rusak di baris 2"),
    ],
)
def test_it_refuses_a_bad_file_whole_and_imports_nothing(world, data, name, message) -> None:
    fb = _channel(world, "facebook")
    job = _run(fb, data, name)
    assert job.status == "failed"
    assert message in job.error
    assert MetricSnapshot.objects.count() == 0
    assert Post.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_it_refuses_another_platforms_export(world) -> None:
    job = _run(world.channel_a, (SAMPLES / "youtube_id.csv").read_bytes(), "yt.csv")
    assert job.status == "failed"
    assert "ekspor YouTube" in job.error
    assert MetricSnapshot.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(world, settings) -> None:
    settings.WARTA_MAX_IMPORT_BYTES = 100
    with pytest.raises(ValidationError, match="terlalu besar"):
        metric_import_create(channel=world.channel_a, data=b"x" * 101, filename="a.csv", actor=None)
    assert MetricImport.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_it_reports_progress_for_large_files(world) -> None:
    fb = _channel(world, "facebook")
    lines = ["Post ID,Publish time,Reach,Reactions,Comments,Shares"]
    lines += [f"{i},10/01/2026 08:00,{i},{i % 7},1,0" for i in range(1200)]
    seen: list[tuple[int, int]] = []
    job = metric_import_create(
        channel=fb, data="\n".join(lines).encode(), filename="big.csv", actor=None
    )
    job = metric_import_process(import_id=job.pk, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]
    assert job.created_count == 1200
    assert job.percent == 100


@time_machine.travel(NOW, tick=False)
def test_it_reads_a_file_of_mixed_encodings_and_names_the_lines(world) -> None:
    fb = _channel(world, "facebook")
    head = b"Post ID,Publish time,Description,Reach,Reactions,Comments,Shares\n"
    utf8 = "1,10/01/2026 08:00,Kegiatan di Café Ulin — Bontang,100,5,1,0\n".encode()
    cp = "2,10/02/2026 08:00,Pameran UMKM – Café,90,4,0,0\n".encode("cp1252")  # noqa: RUF001
    job = _run(fb, head + utf8 + cp, "campur.csv")
    assert job.status == "done"
    assert job.created_count == 2
    assert "bercampur" in job.error and "baris 3" in job.error
    captions = set(PostVariant.objects.filter(channel=fb).values_list("caption", flat=True))
    assert captions == {"Kegiatan di Café Ulin — Bontang", "Pameran UMKM – Café"}  # noqa: RUF001


def test_uploaded_exports_are_kept_outside_the_public_media_folder(world, settings) -> None:
    job = metric_import_create(
        channel=world.channel_a, data=b"a,b\n1,2\n", filename="ig.csv", actor=None
    )
    path = Path(job.file.path)
    assert path.is_file()
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert "ig" not in path.name
