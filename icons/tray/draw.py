# Draws the tray icons from icons/source.png: the app icon with a status badge in the corner
# (green tick: all well; amber "!": attention; red cross: critical), 64x64 so HiDPI trays stay
# sharp.   python3 icons/tray/draw.py
from PIL import Image, ImageDraw

N = 64 * 8
base = Image.open("icons/source.png").convert("RGBA").resize((N, N), Image.LANCZOS)
looks = {
    "all_well": ((30, 160, 75), "tick"),
    "attention": ((235, 160, 20), "bang"),
    "critical": ((215, 40, 40), "cross"),
}
for name, (colour, glyph) in looks.items():
    img = base.copy()
    d = ImageDraw.Draw(img)
    r = N * 0.26
    cx, cy = N - r - N * 0.01, N - r - N * 0.01
    # White ring so the badge reads on any panel colour.
    d.ellipse((cx - r - N * 0.035, cy - r - N * 0.035, cx + r + N * 0.035, cy + r + N * 0.035), fill=(255, 255, 255, 255))
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour + (255,))
    w = int(N * 0.06)
    white = (255, 255, 255, 255)
    if glyph == "tick":
        d.line([(cx - r * 0.5, cy + r * 0.02), (cx - r * 0.12, cy + r * 0.42), (cx + r * 0.52, cy - r * 0.38)], fill=white, width=w, joint="curve")
    elif glyph == "bang":
        d.rounded_rectangle((cx - w / 2, cy - r * 0.6, cx + w / 2, cy + r * 0.15), radius=w / 2, fill=white)
        d.ellipse((cx - w * 0.6, cy + r * 0.35, cx + w * 0.6, cy + r * 0.35 + w * 1.2), fill=white)
    else:
        k = r * 0.42
        d.line([(cx - k, cy - k), (cx + k, cy + k)], fill=white, width=w)
        d.line([(cx - k, cy + k), (cx + k, cy - k)], fill=white, width=w)
    img.resize((64, 64), Image.LANCZOS).save(f"icons/tray/{name}.png")
