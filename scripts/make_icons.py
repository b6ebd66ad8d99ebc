"""Draw warta's app icons (the favicon's white "w" on blue) as the PNGs the manifest names.

Run from the repository root: `.venv/bin/python scripts/make_icons.py`. The maskable
icon keeps the letter inside the central 80 % that every launcher's mask leaves visible.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BLUE = (29, 93, 155)
OUT = Path(__file__).resolve().parents[1] / "warta" / "static" / "warta" / "icons"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BLUE)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=BLUE)
    font_size = int(big * (0.5 if maskable else 0.62))
    font = ImageFont.truetype(str(FONT), font_size)
    draw.text((big / 2, big / 2), "w", font=font, fill="white", anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
