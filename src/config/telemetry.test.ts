import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jaegerSettings, otlpSettings } from './telemetry.js';

const read = <T>(fn: (p: (path: string, message: string) => void) => T) => {
  const problems: string[] = [];
  const value = fn((path, message) => problems.push(`${path}: ${message}`));
  return { value, problems };
};

describe('telemetry settings', () => {
  it('reads Clair\'s OTLP keys, gRPC first when both are given', () => {
    const http = read((p) => otlpSettings({ http: { endpoint: 'otel:4318', insecure: true, url_path: '/custom/', headers: { 'x-token': 't' }, compression: 'gzip', timeout: '2s', client_tls: { root_ca: '/ca.pem' } } }, 'trace.otlp', p));
    assert.deepEqual(http, {
      problems: [],
      value: { transport: 'http', endpoint: 'otel:4318', insecure: true, headers: { 'x-token': 't' }, compression: 'gzip', urlPath: '/custom', timeoutMs: 2000, clientTls: { rootCa: '/ca.pem' } },
    });
    assert.equal(read((p) => otlpSettings({ http: {}, grpc: { endpoint: 'otel:4317' } }, 'trace.otlp', p)).value?.transport, 'grpc');
  });

  it('names each problem by its path', () => {
    assert.deepEqual(read((p) => otlpSettings({}, 'metrics.otlp', p)).problems, ['metrics.otlp: must define either "grpc" or "http" transport for otlp']);
    assert.deepEqual(
      read((p) => otlpSettings({ http: { endpoint: 'http://otel:4318', compression: 'zstd', insecure: 'yes', timeout: 'soon', url_path: 'v1', client_tls: { cert: '/c.pem' } } }, 'trace.otlp', p)).problems,
      [
        'trace.otlp.http.compression: must be "none" or "gzip", got "zstd"',
        'trace.otlp.http.insecure: must be true or false, got "yes"',
        'trace.otlp.http.endpoint: must be host:port, without a scheme (insecure chooses http or https), got "http://otel:4318"',
        'trace.otlp.http.timeout: invalid duration "soon": expected a number',
        'trace.otlp.http.url_path: path "v1" must be absolute',
        'trace.otlp.http.client_tls: cert and key must be given together',
      ],
    );
  });

  it('reads the Jaeger agent or collector', () => {
    assert.deepEqual(read((p) => jaegerSettings({ agent: { endpoint: 'clair-jaeger:6831' }, service_name: 'clair' }, 'trace.jaeger', p)), {
      problems: [],
      value: { agentEndpoint: 'clair-jaeger:6831', collectorEndpoint: '', serviceName: 'clair', tags: {} },
    });
    assert.deepEqual(read((p) => jaegerSettings({ agent: { endpoint: 'no-port' } }, 'trace.jaeger', p)).problems, ['trace.jaeger.agent.endpoint: must be host:port, got "no-port"']);
  });
});
