import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lines, scanEntries } from '../../test-support/scan.js';
import { parseGemspec, rubyPackageScanner as scanner } from './package-scanner.js';

const GEMS = 'usr/local/bundle/specifications';

// What RubyGems 3.4 writes for an installed gem.
const RAILS = lines(
  '# -*- encoding: utf-8 -*-',
  '# stub: rails 7.1.3 ruby lib',
  '',
  'Gem::Specification.new do |s|',
  '  s.name = "rails".freeze',
  '  s.version = "7.1.3".freeze',
  '',
  '  s.required_rubygems_version = Gem::Requirement.new(">= 1.8.11".freeze) if s.respond_to? :required_rubygems_version=',
  '  s.metadata = { "bug_tracker_uri" => "https://github.com/rails/rails/issues", "changelog_uri" => "https://github.com/rails/rails/releases/tag/v7.1.3" } if s.respond_to? :metadata=',
  '  s.require_paths = ["lib".freeze]',
  '  s.authors = ["David Heinemeier Hansson".freeze]',
  '  s.date = "2024-01-16"',
  '  s.description = "Ruby on Rails is a full-stack web framework optimized for programmer happiness.".freeze',
  '  s.email = "david@loudthinking.com".freeze',
  '  s.homepage = "https://rubyonrails.org".freeze',
  '  s.licenses = ["MIT".freeze]',
  '  s.required_ruby_version = Gem::Requirement.new(">= 2.7.0".freeze)',
  '  s.rubygems_version = "3.5.3".freeze',
  '  s.summary = "Full-stack web application framework.".freeze',
  '',
  '  s.installed_by_version = "3.4.19".freeze if s.respond_to? :installed_by_version',
  '',
  '  s.specification_version = 4',
  '',
  '  s.add_runtime_dependency(%q<activesupport>.freeze, ["= 7.1.3".freeze])',
  'end',
);

// An older RubyGems wrote single quotes and no .freeze.
const RACK = lines(
  '# -*- encoding: utf-8 -*-',
  'Gem::Specification.new do |s|',
  "  s.name = 'rack'",
  "  s.version = '2.2.8'",
  '  s.summary = "A modular Ruby webserver interface."',
  'end',
);

describe('ruby package scanner', () => {
  it('reports installed gems with claircore fields', async () => {
    const found = await scanEntries(scanner, [
      { path: `${GEMS}/rails-7.1.3.gemspec`, content: RAILS },
      { path: `usr/lib/ruby/gems/3.1.0/specifications/default/rack-2.2.8.gemspec`, content: RACK },
      { path: `${GEMS}/../gems/rails-7.1.3/rails.gemspec`, content: RAILS },
    ]);
    assert.deepEqual(found, [
      {
        name: 'rails',
        version: '7.1.3',
        kind: 'binary',
        arch: '',
        module: '',
        cpe: '',
        packageDb: `ruby:${GEMS}/rails-7.1.3.gemspec`,
        filepath: `${GEMS}/rails-7.1.3.gemspec`,
        repositoryHint: 'rubygems',
      },
      {
        name: 'rack',
        version: '2.2.8',
        kind: 'binary',
        arch: '',
        module: '',
        cpe: '',
        packageDb: 'ruby:usr/lib/ruby/gems/3.1.0/specifications/default/rack-2.2.8.gemspec',
        filepath: 'usr/lib/ruby/gems/3.1.0/specifications/default/rack-2.2.8.gemspec',
        repositoryHint: 'rubygems',
      },
    ]);
    assert.deepEqual(scanner.defaultRepository, { name: 'rubygems', key: '', uri: 'https://rubygems.org/gems/', cpe: '' });
  });

  it('does not mistake other assignments for the name or version', () => {
    assert.deepEqual(parseGemspec(RAILS), { name: 'rails', version: '7.1.3' });
    assert.equal(parseGemspec(lines('Gem::Specification.new do |s|', '  s.name = "noversion".freeze', 'end')), undefined);
    assert.equal(parseGemspec(lines('  s.name = "spaced name"', '  s.version = "1.0"')), undefined);
  });

  it('skips gemspecs without both fields and files outside specifications', async () => {
    const found = await scanEntries(scanner, [
      { path: `${GEMS}/broken-1.0.gemspec`, content: 'Gem::Specification.new do |s|\nend\n' },
      { path: 'app/rails.gemspec', content: RAILS },
      { path: `${GEMS}/.wh.old-1.0.gemspec`, content: RACK },
    ]);
    assert.deepEqual(found, []);
  });
});
