"""Writes the reference outputs ResizeCropTest/ResamplerTest compare with: torchvision's PIL transforms on a pattern
image. Run with Debian's python3-torchvision (PIL 9.4, torchvision 0.14): /usr/bin/python3 torchvision_transforms.py

The input is a formula both sides compute (see pattern() and ResamplerTest.pattern), 37 wide x 23 high, RGB.
Each output file holds the uint8 result in CHW order; cmyk.jpg is a CMYK JPEG for ImageNetFolderTest, cmyk_blocks.jpg one with
its RGB conversion by PIL (cmyk_blocks.chw).
"""
import numpy as np
from PIL import Image
import torchvision.transforms as T
import torchvision.transforms.functional as F


def pattern(h, w):
    y, x = np.mgrid[0:h, 0:w]
    chans = [(x * 7 + y * 13 + c * 101 + ((x * y) % 17) * 5) % 256 for c in range(3)]
    return np.stack(chans, axis=-1).astype(np.uint8)


def save(img, name):
    a = np.asarray(img, dtype=np.uint8).transpose(2, 0, 1).copy()
    a.tofile(name)
    print(name, a.shape)


img = Image.fromarray(pattern(23, 37), 'RGB')
# shrink: shorter side 23 -> 20 (32x20), centre crop 15 (offsets 2.5, 8.5 round half to even: 2, 8)
save(T.CenterCrop(15)(T.Resize(20)(img)), 'resize20_crop15.chw')
# enlarge: shorter side 23 -> 41 (65x41), centre crop 41
save(T.CenterCrop(41)(T.Resize(41)(img)), 'resize41_crop41.chw')
# RandomResizedCrop's resampling of a drawn box: top 3, left 5, 15 high, 20 wide, to 12x12
save(F.resized_crop(img, 3, 5, 15, 20, [12, 12]), 'box3_5_15x20_to12.chw')
# the same box enlarged: to 31x31
save(F.resized_crop(img, 3, 5, 15, 20, [31, 31]), 'box3_5_15x20_to31.chw')

# a CMYK JPEG (ImageNet's training set has a few; PIL and ghn4j convert them)
Image.new('CMYK', (20, 10), (10, 20, 30, 40)).save('cmyk.jpg')
print('cmyk.jpg')

# a CMYK JPEG of four 8x8 blocks and PIL's convert("RGB") of it (what torchvision's loader gives; ghn4j decodes it with
# the same formula, ImageDecoderTest)
blocks = Image.new('CMYK', (16, 16))
for i, v in enumerate([(0, 0, 0, 0), (200, 30, 0, 10), (20, 180, 90, 60), (120, 60, 240, 150)]):
    blocks.paste(v, ((i % 2) * 8, (i // 2) * 8, (i % 2) * 8 + 8, (i // 2) * 8 + 8))
blocks.save('cmyk_blocks.jpg', quality=95)
save(Image.open('cmyk_blocks.jpg').convert('RGB'), 'cmyk_blocks.chw')
# a YCCK JPEG (Adobe transform 2), made once by the JDK's JPEG writer from cmyk_blocks.jpg's raw samples with the
# Adobe marker set to 2 (PIL cannot write YCCK); only its decoding matters: PIL's convert("RGB") of it
save(Image.open('ycck_blocks.jpg').convert('RGB'), 'ycck_blocks.chw')
