"""The tables each dashboard shows, as plain rows: the same rows feed the CSV/XLSX export."""

from django.utils.translation import gettext as _

from warta.analytics import indices, selectors
from warta.analytics.export import Table


def _pct(x: float | None) -> float | str:
    return round(x, 1) if x is not None else ""


def ranking_table(figures: list[selectors.AgencyFigures]) -> Table:
    rows: list[list[object]] = []
    for rank, f in enumerate(figures, start=1):
        c = f.consistency
        r = f.response
        rows.append(
            [
                rank,
                f.agency.short_name,
                f.agency.name,
                f.score if f.score is not None else "",
                c.score if c else "",
                c.achieved_per_week if c else "",
                c.target_per_week if c else "",
                c.longest_gap_days if c else "",
                f.mix.alignment if f.mix.alignment is not None else "",
                _pct(f.mix.activity_share),
                f.posts,
                _pct(r.engagement_rate),
                r.rate_basis_label,
                _pct(r.answered_share),
                _pct(r.median_response_minutes),
                _pct(r.negative_share),
                " | ".join(w.text for w in f.warnings),
            ]
        )
    return Table(
        "ranking",
        _("Peringkat"),
        [
            _("Peringkat"),
            _("Singkatan"),
            _("Perangkat daerah"),
            _("Skor"),
            _("Indeks konsistensi"),
            _("Unggahan/minggu"),
            _("Target/minggu"),
            _("Jeda terpanjang (hari)"),
            _("Kesesuaian porsi konten"),
            _("Porsi laporan kegiatan (%)"),
            _("Unggahan"),
            _("Tingkat interaksi (%)"),
            _("Dasar tingkat interaksi"),
            _("Pertanyaan dijawab (%)"),
            _("Median tanggapan pertama (menit)"),
            _("Komentar negatif (%)"),
            _("Peringatan"),
        ],
        rows,
    )


def channel_table(f: selectors.AgencyFigures) -> Table:
    rows: list[list[object]] = []
    for ch, c in f.channel_consistency:
        rows.append(
            [
                ch.get_platform_display(),
                ch.handle,
                c.score,
                c.achieved_per_week,
                c.target_per_week,
                round(100 * c.cadence),
                round(100 * c.regularity),
                c.longest_gap_days,
                " ".join(c.advice),
            ]
        )
    return Table(
        "channels",
        _("Kanal"),
        [
            _("Platform"),
            _("Akun"),
            _("Indeks konsistensi"),
            _("Unggahan/minggu"),
            _("Target/minggu"),
            _("Capaian frekuensi (%)"),
            _("Keteraturan (%)"),
            _("Jeda terpanjang (hari)"),
            _("Saran"),
        ],
        rows,
    )


def mix_table(mix: indices.ContentMix) -> Table:
    return Table(
        "mix",
        _("Porsi konten"),
        [
            _("Kategori"),
            _("Unggahan"),
            _("Porsi (%)"),
            _("Target (%)"),
            _("Selisih (poin)"),
        ],
        [
            [r.label, r.posts, round(r.share, 1), round(r.target, 1), round(r.difference, 1)]
            for r in mix.rows
        ],
    )


def posts_table(name: str, title: str, lines: list[selectors.PostLine]) -> Table:
    return Table(
        name,
        title,
        [
            _("Terbit"),
            _("Platform"),
            _("Akun"),
            _("Keterangan"),
            _("Interaksi"),
            _("Jangkauan"),
            _("Mengapa"),
        ],
        [
            [
                p.rollup.local_date.isoformat(),
                p.rollup.platform,
                p.rollup.channel.handle,
                p.rollup.caption_excerpt,
                p.rollup.engagement,
                p.rollup.reach,
                "; ".join(p.why),
            ]
            for p in lines
        ],
    )


def best_times_table(slots: list[selectors.Slot]) -> Table:
    return Table(
        "best_times",
        _("Waktu terbaik"),
        [
            _("Platform"),
            _("Waktu"),
            _("Unggahan"),
            _("Rata-rata interaksi"),
        ],
        [[s.platform_label, s.label, s.posts, round(s.mean_engagement, 1)] for s in slots],
    )


def leadership_table(changes: list[indices.LeadershipChange]) -> Table:
    rows: list[list[object]] = []
    for ch in changes:
        for label, b, a in (
            (_("Unggahan/minggu"), round(ch.before.per_week, 1), round(ch.after.per_week, 1)),
            (
                _("Porsi laporan kegiatan (%)"),
                round(ch.before.activity_share),
                round(ch.after.activity_share),
            ),
            (
                _("Nada positif (%)"),
                _pct(ch.before.positive_tone_share),
                _pct(ch.after.positive_tone_share),
            ),
            (
                _("Pertanyaan dijawab (%)"),
                _pct(ch.before.answered_share),
                _pct(ch.after.answered_share),
            ),
            (
                _("Interaksi per unggahan"),
                round(ch.before.per_post, 1),
                round(ch.after.per_post, 1),
            ),
        ):
            rows.append([ch.change_date.isoformat(), ch.before_head, ch.after_head, label, b, a])
    return Table(
        "leadership",
        _("Pergantian pimpinan"),
        [
            _("Tanggal"),
            _("Sebelum"),
            _("Sesudah"),
            _("Ukuran"),
            _("90 hari sebelum"),
            _("90 hari sesudah"),
        ],
        rows,
    )


def weeks_table(f: selectors.AgencyFigures) -> Table:
    return Table(
        "weeks",
        _("Per minggu"),
        [
            _("Minggu mulai"),
            _("Unggahan"),
            _("Interaksi"),
            _("Interaksi per unggahan"),
        ],
        [[w.isoformat(), p, e, round(e / p, 1) if p else 0] for w, p, e in f.weeks],
    )
