/**
 * @module The process's prom-client metrics as an OpenTelemetry
 * `MetricProducer`, so `metrics.name: otlp` exports every metric `/metrics`
 * serves, with the same names, help and labels, and no instrument is
 * declared twice. Counters become monotonic cumulative sums, gauges
 * gauges, histograms explicit-bucket histograms (Prometheus's cumulative
 * `le` buckets turned into per-bucket counts); summaries are exported as
 * their `_sum` and `_count` sums, which OTLP has no quantile type for.
 */
import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';

type Labels = Record<string, string | number>;

const attributesOf = (labels: Labels | undefined, drop?: string): Attributes =>
  Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k !== drop).map(([k, v]) => [k, String(v)]));

const keyOf = (attributes: Attributes): string => JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1)));

/** One Prometheus histogram's series, each as an OTLP histogram point. */
function histogramPoints(values: ReadonlyArray<MetricValueWithName<string>>, name: string, start: HrTime, end: HrTime): MetricData['dataPoints'] {
  const series = new Map<string, { attributes: Attributes; bounds: Array<[number, number]>; sum: number; count: number }>();
  const entry = (labels: Labels | undefined) => {
    const attributes = attributesOf(labels, 'le');
    const key = keyOf(attributes);
    let s = series.get(key);
    if (!s) series.set(key, (s = { attributes, bounds: [], sum: 0, count: 0 }));
    return s;
  };
  for (const v of values) {
    const s = entry(v.labels as Labels);
    if (v.metricName === `${name}_bucket`) {
      const le = (v.labels as Labels).le;
      if (le !== '+Inf') s.bounds.push([Number(le), v.value]);
    } else if (v.metricName === `${name}_sum`) s.sum = v.value;
    else if (v.metricName === `${name}_count`) s.count = v.value;
  }
  return [...series.values()].map((s) => {
    const bounds = s.bounds.sort(([a], [b]) => a - b);
    // Cumulative "≤ le" counts to per-bucket counts, plus the overflow bucket.
    const counts = bounds.map(([, c], i) => c - (i === 0 ? 0 : bounds[i - 1]![1]));
    counts.push(s.count - (bounds.at(-1)?.[1] ?? 0));
    return { startTime: start, endTime: end, attributes: s.attributes, value: { buckets: { boundaries: bounds.map(([b]) => b), counts }, sum: s.sum, count: s.count } };
  }) as MetricData['dataPoints'];
}

function metricData(m: MetricObjectWithValues<MetricValue<string>>, start: HrTime, end: HrTime): MetricData[] {
  const descriptor = (name: string) => ({ name, description: m.help, unit: '', valueType: ValueType.DOUBLE });
  const points = (values: ReadonlyArray<MetricValue<string>>) =>
    values.map((v) => ({ startTime: start, endTime: end, attributes: attributesOf(v.labels as Labels), value: v.value }));
  switch (m.type as unknown as string) {
    case 'counter':
      return [{ descriptor: descriptor(m.name), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: points(m.values) }];
    case 'gauge':
      return [{ descriptor: descriptor(m.name), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints: points(m.values) }];
    case 'histogram':
      return [{ descriptor: descriptor(m.name), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints: histogramPoints(m.values as Array<MetricValueWithName<string>>, m.name, start, end) } as MetricData];
    case 'summary': {
      const named = m.values as Array<MetricValueWithName<string>>;
      return (['sum', 'count'] as const).map((part) => ({
        descriptor: descriptor(`${m.name}_${part}`),
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: points(named.filter((v) => v.metricName === `${m.name}_${part}`)),
      }));
    }
    default:
      return [];
  }
}

export class PromClientProducer implements MetricProducer {
  readonly #start = millisToHrTime(Date.now());

  constructor(readonly registry: Registry) {}

  async collect(): Promise<CollectionResult> {
    const metrics = await this.registry.getMetricsAsJSON();
    const end = millisToHrTime(Date.now());
    return {
      resourceMetrics: {
        resource: emptyResource(),
        scopeMetrics: [{ scope: { name: 'clair' }, metrics: metrics.flatMap((m) => metricData(m as MetricObjectWithValues<MetricValue<string>>, this.#start, end)) }],
      },
      errors: [],
    };
  }
}
