# Draws icons/source.png, the 1024x1024 master of the app icon (Pillow):
#   python3 icons/draw.py && npx tauri icon icons/source.png -o icons
# (then delete icons/android and icons/ios: desktop only).
from PIL import Image, ImageDraw, ImageFilter, ImageChops
S = 4  # supersampling
N = 1024 * S

def s(v): return int(v * S)

# Badge: rounded square with a diagonal deep-blue gradient.
margin, radius = 56, 210
grad = Image.new("RGB", (N, N))
top, bottom = (44, 110, 235), (10, 30, 96)
px = grad.load()
line = Image.new("RGB", (N * 2, 1))
for i in range(N * 2):
    t = i / (N * 2 - 1)
    line.putpixel((i, 0), tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
# diagonal: value depends on x + y
grad = Image.new("RGB", (N, N))
for y in range(0, N):
    grad.paste(line.crop((y, 0, y + N, 1)), (0, y))
mask = Image.new("L", (N, N), 0)
ImageDraw.Draw(mask).rounded_rectangle(
    (s(margin), s(margin), N - s(margin), N - s(margin)), radius=s(radius), fill=255)

# Soft highlight on the upper half for a little depth.
hl = Image.new("L", (N, N), 0)
ImageDraw.Draw(hl).ellipse((s(-300), s(-900), s(1324), s(430)), fill=30)
hl = hl.filter(ImageFilter.GaussianBlur(s(120)))
grad = Image.composite(Image.new("RGB", (N, N), (255, 255, 255)), grad, hl)

badge = Image.new("RGBA", (N, N), (0, 0, 0, 0))
badge.paste(grad, (0, 0), mask)

# Key glyph, drawn horizontally then turned 45 degrees.
key = Image.new("L", (N, N), 0)
d = ImageDraw.Draw(key)
cx, cy = 318, 512
d.ellipse((s(cx - 182), s(cy - 182), s(cx + 182), s(cy + 182)), fill=255)          # bow
d.rounded_rectangle((s(cx + 120), s(cy - 56), s(850), s(cy + 56)), radius=s(28), fill=255)  # shaft
d.rounded_rectangle((s(700), s(cy), s(780), s(cy + 170)), radius=s(18), fill=255)  # tooth 1
d.rounded_rectangle((s(580), s(cy), s(650), s(cy + 132)), radius=s(18), fill=255)  # tooth 2
d.ellipse((s(cx - 74), s(cy - 74), s(cx + 74), s(cy + 74)), fill=0)                # hole
key = key.rotate(45, resample=Image.BICUBIC, center=(N / 2, N / 2))
# Recentre the glyph's bounding box in the badge.
bbox = key.getbbox()
gx = (bbox[0] + bbox[2]) / 2
gy = (bbox[1] + bbox[3]) / 2
key = ImageChops.offset(key, int(N / 2 - gx), int(N / 2 - gy))

shadow = key.filter(ImageFilter.GaussianBlur(s(16)))
shadow = ImageChops.offset(shadow, 0, s(16))
shadow = ImageChops.multiply(shadow, mask).point(lambda v: v * 110 // 255)
layer = Image.new("RGBA", (N, N), (3, 10, 40, 0))
layer.putalpha(shadow)
badge = Image.alpha_composite(badge, layer)
white = Image.new("RGBA", (N, N), (255, 255, 255, 0))
white.putalpha(key)
badge = Image.alpha_composite(badge, white)

out = badge.resize((1024, 1024), Image.LANCZOS)
out.save("icons/source.png")
