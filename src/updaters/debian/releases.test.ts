import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distsFromIndex, majorVersion, releaseFields } from './releases.js';

describe('debian release discovery', () => {
  it('keeps single-word codenames from an index and drops suites, aliases, files and sort links', () => {
    const html = [
      '<a href="?C=N;O=D">Name</a>',
      '<a href="/debian/">Parent Directory</a>',
      '<a href="../">../</a>',
      '<a href="Debian12.7/">Debian12.7/</a>',
      '<a href="bookworm/">bookworm/</a>',
      "<A HREF='bullseye'>bullseye</A>",
      '<a class="x" href="bookworm-updates/">bookworm-updates/</a>',
      '<a href="rc-buggy/">rc-buggy/</a>',
      '<a href="stable/">stable/</a> <a href="oldstable/">oldstable/</a> <a href="testing/">testing/</a>',
      '<a href="unstable/">unstable/</a> <a href="sid/">sid/</a> <a href="experimental/">experimental/</a>',
      '<a href="README">README</a> <a href="bookworm/">again</a> <a href="%74rixie/">encoded</a>',
    ].join('\n');
    assert.deepEqual(distsFromIndex(html), ['bookworm', 'bullseye', 'trixie']);
  });

  it('reads the head paragraph of a Release file, ignoring continuation lines', () => {
    const text = 'Origin: Debian\nSuite: stable\nVersion: 12.7\nCodename: bookworm\nMD5Sum:\n 0ed6  1484322 contrib/Contents-all\n\nNot: part';
    const fields = releaseFields(text, true);
    assert.equal(fields.get('version'), '12.7');
    assert.equal(fields.get('codename'), 'bookworm');
    assert.equal(fields.has('not'), false);
  });

  it('drops the last line of a range response, which may be cut mid-line', () => {
    assert.equal(releaseFields('Codename: bookworm\nVersion: 1', false).has('version'), false);
    assert.equal(releaseFields('Codename: bookworm\r\nVersion: 12\r\n', false).get('version'), '12');
  });

  it('takes the major number of numeric versions only', () => {
    assert.equal(majorVersion('12.7'), 12);
    assert.equal(majorVersion('12'), 12);
    assert.equal(majorVersion('10.13'), 10);
    assert.equal(majorVersion('12-updates'), undefined);
    assert.equal(majorVersion(''), undefined);
    assert.equal(majorVersion(undefined), undefined);
  });
});
