import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UBI9_MINIMAL_DOCKERFILE } from '../../test-support/rhel-fixtures.js';
import { DockerfileError, dockerfileLabels, expandVars, unquote } from './dockerfile.js';

const labels = (text: string): Record<string, string> => Object.fromEntries(dockerfileLabels(text));

describe('dockerfileLabels', () => {
  it('reads the labels of a Red Hat build Dockerfile, continuations, comments and both LABEL forms included', () => {
    assert.deepEqual(labels(UBI9_MINIMAL_DOCKERFILE), {
      maintainer: 'Red Hat, Inc.',
      vendor: 'Red Hat, Inc.',
      url: 'https://www.redhat.com',
      'com.redhat.component': 'ubi9-minimal-container',
      name: 'ubi9/ubi-minimal',
      version: '9.3',
      'distribution-scope': 'public',
      'com.redhat.license_terms': 'https://www.redhat.com/en/about/red-hat-end-user-license-agreements#UBI',
      summary: 'Provides the latest release of the minimal Red Hat Universal Base Image 9.',
      description: 'The Universal Base Image Minimal is a stripped down image that uses microdnf as a package manager.',
      'io.k8s.display-name': 'Red Hat Universal Base Image 9 Minimal',
      'io.openshift.expose-services': '',
      'io.openshift.tags': 'minimal rhel9',
      release: '1361',
      architecture: 'x86_64',
      'vcs-type': 'git',
      'build-date': '2023-11-15T10:14:40',
    });
  });

  it('expands ARG and ENV variables in labels, with defaults and alternatives', () => {
    const text = [
      'ARG NAME=quay/quay-rhel8',
      'ARG UNUSED',
      'ENV VERSION=v3.5.6 STREAM="3.5"',
      'ENV SUMMARY Quay registry $VERSION',
      'LABEL name=$NAME version=${VERSION} stream=${STREAM:-none} missing=${NOPE:-fallback} set=${NAME:+yes} unset=${NOPE:+yes}',
      'LABEL summary="$SUMMARY" literal="\\$NAME" single=\'$NAME\'',
      'LABEL com.redhat.component quay-registry-container',
    ].join('\n');
    assert.deepEqual(labels(text), {
      name: 'quay/quay-rhel8',
      version: 'v3.5.6',
      stream: '3.5',
      missing: 'fallback',
      set: 'yes',
      unset: '',
      summary: 'Quay registry v3.5.6',
      literal: '$NAME',
      // claircore expands inside single quotes too (its transformer chain unquotes first).
      single: 'quay/quay-rhel8',
      'com.redhat.component': 'quay-registry-container',
    });
  });

  it('skips comment lines inside a continued instruction and handles CRLF continuations', () => {
    const text = 'LABEL a=1 \\\r\n# a comment in the middle\n  b="two words" \\\n  c=3\nRUN true\n';
    assert.deepEqual(labels(text), { a: '1', b: 'two words', c: '3' });
  });

  it('honours an escape parser directive', () => {
    assert.deepEqual(labels('# escape=`\nLABEL a="x" `\n  b=C:\\path\n'), { a: 'x', b: 'C:\\path' });
  });

  it('later labels replace earlier ones', () => {
    assert.deepEqual(labels('LABEL name=a\nLABEL name=b\n'), { name: 'b' });
  });

  it('rejects lines that are not instructions, and assignments without a value', () => {
    assert.throws(() => dockerfileLabels('LABEL a=1\n=broken\n'), DockerfileError);
    assert.throws(() => dockerfileLabels('FROM\n'), DockerfileError);
    assert.throws(() => dockerfileLabels('LABEL lonely\n'), DockerfileError);
    assert.throws(() => dockerfileLabels('LABEL a=${B:?x}\n'), /bad default spec/);
  });
});

describe('unquote and expandVars', () => {
  it('undo one level of quoting with C escapes only in double quotes', () => {
    assert.equal(unquote(`"a\\tb" 'c\\td' e\\"f`), 'a\tb c\\td e"f');
    assert.equal(unquote('"unterminated'), 'unterminated');
  });

  it('expand bare and braced variables, leaving odd escapes alone', () => {
    const vars = new Map([['A', '1'], ['B_2', 'two']]);
    assert.equal(expandVars('$A-$B_2-${A}x-\\q-$', vars), '1-two-1x-\\q-');
    assert.equal(expandVars('${A', vars), '');
  });
});
