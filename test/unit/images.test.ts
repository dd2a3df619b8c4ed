// processProfilePicture on real images made with sharp here: every accepted
// format comes out as a 300x300 JPEG without metadata, EXIF orientation is
// applied, and anything that is not a decodable JPEG/PNG/GIF/WebP (or is a
// decompression bomb) is an InvalidImageError.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  InvalidImageError,
  MAX_INPUT_PIXELS,
  PICTURE_SIZE,
  processProfilePicture,
} from '../../src/heavy-work/images.js';
import { defined, PNG_SIGNATURE, pngDeclaring } from '../helpers/index.js';

type Rgb = [number, number, number];

const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];
const GREEN: Rgb = [0, 255, 0];
const WHITE: Rgb = [255, 255, 255];

const hex = ([r, g, b]: Rgb) => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** A solid PNG. */
const solid = (colour: Rgb, width = 100, height = 100) =>
  sharp({ create: { width, height, channels: 3, background: hex(colour) } })
    .png()
    .toBuffer();

/** Vertical bands of the given colours, left to right, each `bandWidth` wide, as raw-backed sharp pipeline. */
function bands(colours: Rgb[], bandWidth: number, height: number) {
  const width = bandWidth * colours.length;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const colour = defined(colours[Math.floor(x / bandWidth)]);
      pixels.set(colour, (y * width + x) * 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** Random noise, so that compressed files are large and truncation really cuts image data. */
function noise(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** Decoded output: its metadata and a pixel reader. */
async function decode(jpeg: Buffer) {
  const metadata = await sharp(jpeg).metadata();
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number): Rgb => {
    const offset = (y * info.width + x) * info.channels;
    return [defined(data[offset]), defined(data[offset + 1]), defined(data[offset + 2])];
  };
  return { metadata, info, pixel };
}

/** Colours survive JPEG compression only approximately. */
function expectColour(actual: Rgb, expected: Rgb, tolerance = 40) {
  for (let channel = 0; channel < 3; channel += 1) {
    expect(
      Math.abs(defined(actual[channel]) - defined(expected[channel])),
      `channel ${channel} of ${actual.join(',')} vs ${expected.join(',')}`,
    ).toBeLessThanOrEqual(tolerance);
  }
}

/** The common promises about any output. */
async function expectProfileJpeg(output: Buffer) {
  expect(Buffer.isBuffer(output)).toBe(true);
  expect([...output.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  const decoded = await decode(output);
  expect(decoded.metadata.format).toBe('jpeg');
  expect(decoded.metadata.width).toBe(PICTURE_SIZE);
  expect(decoded.metadata.height).toBe(PICTURE_SIZE);
  expect(PICTURE_SIZE).toBe(300);
  expect(decoded.metadata.exif).toBeUndefined();
  expect(decoded.metadata.orientation).toBeUndefined();
  expect(decoded.metadata.xmp).toBeUndefined();
  expect(decoded.metadata.icc).toBeUndefined();
  expect(decoded.metadata.pages ?? 1).toBe(1);
  return decoded;
}

async function expectInvalid(bytes: Buffer): Promise<InvalidImageError> {
  const error: unknown = await processProfilePicture(bytes).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidImageError);
  return error as InvalidImageError;
}

describe('processProfilePicture: accepted formats', () => {
  it('PNG with transparency: flattened on white, 300x300 JPEG', async () => {
    // Left half fully transparent, right half opaque red.
    const width = 200;
    const height = 200;
    const pixels = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        if (x >= width / 2) pixels.set([255, 0, 0, 255], (y * width + x) * 4);
      }
    }
    const png = await sharp(pixels, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    const input = await sharp(png).metadata();
    expect(input.format).toBe('png');
    expect(input.hasAlpha).toBe(true);

    const decoded = await expectProfileJpeg(await processProfilePicture(png));
    expect(decoded.info.channels).toBe(3);
    expectColour(decoded.pixel(20, 150), WHITE);
    expectColour(decoded.pixel(280, 150), RED);
  });

  it('JPEG with EXIF orientation 6: the rotation is applied', async () => {
    // Stored 400x200: left half red, right half blue. Orientation 6 means
    // "rotate 90 degrees clockwise to display": the red half ends up on top.
    const jpeg = await bands([RED, BLUE], 200, 200).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const input = await sharp(jpeg).metadata();
    expect(input.format).toBe('jpeg');
    expect(input.orientation).toBe(6);
    expect([input.width, input.height]).toEqual([400, 200]);

    const decoded = await expectProfileJpeg(await processProfilePicture(jpeg));
    // Without rotation the centre crop would be red on the left and blue on the right.
    expectColour(decoded.pixel(290, 10), RED); // top right
    expectColour(decoded.pixel(10, 10), RED); // top left
    expectColour(decoded.pixel(10, 290), BLUE); // bottom left
    expectColour(decoded.pixel(290, 290), BLUE); // bottom right
  });

  it('JPEG without orientation: kept as is', async () => {
    const jpeg = await bands([RED, BLUE], 200, 200).jpeg({ quality: 95 }).toBuffer();
    const decoded = await expectProfileJpeg(await processProfilePicture(jpeg));
    expectColour(decoded.pixel(10, 10), RED);
    expectColour(decoded.pixel(290, 10), BLUE);
  });

  it('a wide image is centre-cropped to a square, not squashed', async () => {
    // 600x200 in three bands: cover-resizing to 300 high and cropping the
    // centre keeps only the middle band.
    const png = await bands([GREEN, RED, BLUE], 200, 200).png().toBuffer();
    const decoded = await expectProfileJpeg(await processProfilePicture(png));
    for (const [x, y] of [
      [5, 5],
      [150, 150],
      [294, 294],
      [5, 294],
      [294, 5],
    ] as const) {
      expectColour(decoded.pixel(x, y), RED);
    }
  });

  it('a tall image is centre-cropped too', async () => {
    const png = await bands([GREEN, RED, BLUE], 200, 200).rotate(90).png().toBuffer();
    expect((await sharp(png).metadata()).height).toBe(600);
    const decoded = await expectProfileJpeg(await processProfilePicture(png));
    expectColour(decoded.pixel(150, 5), RED);
    expectColour(decoded.pixel(150, 294), RED);
  });

  it('a small image is scaled up to 300x300', async () => {
    const decoded = await expectProfileJpeg(await processProfilePicture(await solid(BLUE, 10, 10)));
    expectColour(decoded.pixel(150, 150), BLUE);
  });

  it('plain GIF', async () => {
    const gif = await sharp(await solid(GREEN, 120, 80))
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).format).toBe('gif');
    const decoded = await expectProfileJpeg(await processProfilePicture(gif));
    expectColour(decoded.pixel(150, 150), GREEN);
  });

  it('animated GIF: the first frame, as a single still image', async () => {
    const gif = await sharp([await solid(RED), await solid(BLUE)], { join: { animated: true } })
      .gif()
      .toBuffer();
    const input = await sharp(gif).metadata();
    expect(input.format).toBe('gif');
    expect(input.pages).toBe(2);
    const decoded = await expectProfileJpeg(await processProfilePicture(gif));
    // Not the two frames stacked: all of it is the first (red) frame.
    expectColour(decoded.pixel(150, 5), RED);
    expectColour(decoded.pixel(150, 294), RED);
  });

  it('WebP', async () => {
    const webp = await bands([RED, BLUE], 150, 300).webp({ quality: 95 }).toBuffer();
    expect((await sharp(webp).metadata()).format).toBe('webp');
    const decoded = await expectProfileJpeg(await processProfilePicture(webp));
    expectColour(decoded.pixel(10, 150), RED);
    expectColour(decoded.pixel(290, 150), BLUE);
  });

  it('metadata of the upload is stripped: no EXIF, XMP or ICC in the output', async () => {
    const jpeg = await sharp(await solid(RED, 400, 400))
      .jpeg()
      .withMetadata({ orientation: 1 })
      .withExifMerge({ IFD0: { Copyright: 'secret-owner', Artist: 'Where I live' } })
      .toBuffer();
    const input = await sharp(jpeg).metadata();
    expect(input.exif).toBeDefined();
    expect(jpeg.includes('secret-owner')).toBe(true);
    const output = await processProfilePicture(jpeg);
    await expectProfileJpeg(output);
    expect(output.includes('secret-owner')).toBe(false);
    expect(output.includes('Exif')).toBe(false);
  });

  it('a large photo-like image is reduced to a small file', async () => {
    const png = await noise(1200, 900).png().toBuffer();
    const output = await processProfilePicture(png);
    await expectProfileJpeg(output);
    expect(output.length).toBeLessThan(png.length);
  });
});

describe('processProfilePicture: refused input', () => {
  it('text bytes', async () => {
    await expectInvalid(Buffer.from('hello, this is not an image\n'.repeat(20)));
  });

  it('an empty buffer and a bare signature', async () => {
    await expectInvalid(Buffer.alloc(0));
    await expectInvalid(PNG_SIGNATURE);
    await expectInvalid(Buffer.from([0xff, 0xd8, 0xff]));
    await expectInvalid(Buffer.from('GIF89a'));
  });

  it('a truncated PNG (the first half of the bytes)', async () => {
    const png = await noise(200, 200).png().toBuffer();
    await expect(processProfilePicture(png)).resolves.toBeInstanceOf(Buffer);
    await expectInvalid(png.subarray(0, Math.floor(png.length / 2)));
  });

  it('a truncated JPEG (the first half of the bytes)', async () => {
    const jpeg = await noise(200, 200).jpeg().toBuffer();
    await expect(processProfilePicture(jpeg)).resolves.toBeInstanceOf(Buffer);
    await expectInvalid(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  });

  it('a truncated GIF and a truncated WebP', async () => {
    const gif = await noise(200, 200).gif().toBuffer();
    await expectInvalid(gif.subarray(0, Math.floor(gif.length / 2)));
    const webp = await noise(200, 200).webp().toBuffer();
    await expectInvalid(webp.subarray(0, Math.floor(webp.length / 2)));
  });

  it('an SVG (even one that sharp itself could render)', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">' +
        '<rect width="100" height="100" fill="red"/><script>alert(1)</script></svg>',
    );
    expect((await sharp(svg).metadata()).format).toBe('svg');
    await expectInvalid(svg);
  });

  it('a PNG signature followed by garbage', async () => {
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i += 1) garbage[i] = (i * 7919 + 13) % 256;
    await expectInvalid(Buffer.concat([PNG_SIGNATURE, garbage]));
  });

  it('a JPEG signature followed by garbage', async () => {
    await expectInvalid(
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg'.repeat(100))]),
    );
  });

  it('a file whose magic number does not match its content (GIF header, PNG body)', async () => {
    const png = await solid(RED);
    await expectInvalid(Buffer.concat([Buffer.from('GIF89a'), png]));
  });

  it('other image formats sharp can decode (TIFF) are refused', async () => {
    const tiff = await sharp(await solid(RED))
      .tiff()
      .toBuffer();
    expect((await sharp(tiff).metadata()).format).toBe('tiff');
    await expectInvalid(tiff);
  });

  it('a decompression bomb: a PNG declaring 30000x30000 pixels, refused quickly', async () => {
    // The hand-made PNG is well formed: a smaller one of the same make decodes.
    const small = pngDeclaring(64, 64, 64);
    const smallMetadata = await sharp(small).metadata();
    expect([smallMetadata.format, smallMetadata.width, smallMetadata.height]).toEqual(['png', 64, 64]);
    await expect(processProfilePicture(small)).resolves.toBeInstanceOf(Buffer);

    const bomb = pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(10_000);
    expect(30_000 * 30_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    const bombMetadata = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([bombMetadata.width, bombMetadata.height]).toEqual([30_000, 30_000]);

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const error = await expectInvalid(bomb);
    // Refused by the pixel limit on reading the header, not by a decode that ran out of data.
    expect(error.message).toMatch(/pixel limit/i);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('an image just over the pixel limit is refused, the same shape under it is accepted', async () => {
    // 7072 x 7072 = 50,013,184 pixels > 50,000,000; 7000 x 7000 = 49,000,000.
    expect((await expectInvalid(pngDeclaring(7072, 7072))).message).toMatch(/pixel limit/i);
    // The same hand-made file under the limit fails for another reason (its data is short).
    expect((await expectInvalid(pngDeclaring(7000, 7000))).message).not.toMatch(/pixel limit/i);
    const under = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    await expect(processProfilePicture(under)).resolves.toBeInstanceOf(Buffer);
  });
});
