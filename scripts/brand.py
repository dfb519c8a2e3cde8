"""Draw the integration's brand images (original artwork): brand/icon.png and brand/logo.png.

Run: .venv/bin/python scripts/brand.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (
    Path(__file__).resolve().parent.parent / "custom_components" / "smartcar" / "brand"
)
BLUE = (20, 62, 128, 255)
TEAL = (0, 168, 150, 255)
WHITE = (255, 255, 255, 255)
SCALE = 4  # draw large, then shrink: smooth edges without anti-aliasing support


def _car(draw: ImageDraw.ImageDraw, x: int, y: int, unit: int) -> None:
    """Draw a side view of a car, `unit` wide per grid step, its wheels' bottom at `y`."""
    body = [
        (x + 1 * unit, y - 3 * unit),
        (x + 3 * unit, y - 3 * unit),
        (x + 5 * unit, y - 5 * unit),
        (x + 10 * unit, y - 5 * unit),
        (x + 12 * unit, y - 3 * unit),
        (x + 15 * unit, y - 3 * unit),
        (x + 15 * unit, y - unit),
        (x + 1 * unit, y - unit),
    ]
    draw.polygon(body, fill=WHITE)
    for cx in (x + 4 * unit, x + 12 * unit):
        r = int(1.4 * unit)
        draw.ellipse(
            (cx - r, y - 2 * unit - r // 2, cx + r, y - 2 * unit - r // 2 + 2 * r),
            fill=BLUE,
        )
        r2 = int(0.8 * unit)
        draw.ellipse(
            (
                cx - r2,
                y - 2 * unit - r2 // 2 + (r - r2),
                cx + r2,
                y - 2 * unit - r2 // 2 + (r - r2) + 2 * r2,
            ),
            fill=WHITE,
        )


def _signal(draw: ImageDraw.ImageDraw, cx: int, cy: int, unit: int) -> None:
    """Draw three arcs rising from a point: the car is connected."""
    for i in (1, 2, 3):
        r = i * 2 * unit
        draw.arc(
            (cx - r, cy - r, cx + r, cy + r), 225, 315, fill=TEAL, width=int(0.9 * unit)
        )


def icon(size: int = 256) -> Image.Image:
    """Draw the square icon: a connected car on a rounded blue tile."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BLUE)
    unit = big // 18
    _car(draw, unit, int(big * 0.82), unit)
    _signal(draw, big // 2, int(big * 0.42), unit)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int = 256) -> Image.Image:
    """Draw the landscape logo: the icon and the name."""
    tile = icon(height)
    font = ImageFont.load_default(size=int(height * 0.42))
    text = "Smartcar"
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = (
        int(v) for v in measure.textbbox((0, 0), text, font=font)
    )
    width = height + int(height * 0.15) + (right - left) + int(height * 0.1)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste(tile, (0, 0), tile)
    draw = ImageDraw.Draw(image)
    draw.text(
        (height + int(height * 0.15), (height - (bottom - top)) // 2 - top),
        text,
        font=font,
        fill=BLUE,
    )
    return image


def main() -> None:
    """Write brand/icon.png, icon@2x.png, logo.png and logo@2x.png."""
    BRAND.mkdir(parents=True, exist_ok=True)
    icon(256).save(BRAND / "icon.png")
    icon(512).save(BRAND / "icon@2x.png")
    logo(256).save(BRAND / "logo.png")
    logo(512).save(BRAND / "logo@2x.png")


if __name__ == "__main__":
    main()
