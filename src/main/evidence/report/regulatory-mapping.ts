// What a regulator asks for after an incident, and which of it a bundle can
// support. Wording follows the legal texts; the mapping is guidance for the
// reporting entity, which keeps the classification decision.
import type { PdfLayout } from './pdf-layout';

export interface MappingContext {
  /** "2005-06-03 15:42:50 UTC – …" or the event span when there are no timestamps. */
  period: string;
  streams: string[];
  llmStreams: string[];
  anomalies: number;
  /** When the analysis that flagged the windows ran (from the audit trail), if known. */
  detectedAt?: string;
}

const COLUMNS = [
  { header: 'Item', width: 2.1 },
  { header: 'What this evidence supports', width: 3.6 },
  { header: 'Still needed from the entity', width: 2.6 },
] as const;

function section(layout: PdfLayout, title: string, intro: string[], caption: string, rows: string[][], after: string[] = []): void {
  // Keep the heading, its introduction and the table's first rows together.
  layout.ensure(150);
  layout.heading(title, 2);
  for (const p of intro) layout.paragraph(p);
  layout.table(COLUMNS, rows, { caption, fontSize: 8 });
  for (const p of after) layout.paragraph(p);
}

export function renderRegulatoryMapping(layout: PdfLayout, ctx: MappingContext): void {
  layout.newPage();
  layout.heading('Regulatory mapping');
  layout.note(
    'Which reporting fields this evidence can support under DORA, NIS2 and the EU AI Act. It is guidance, not legal advice: ' +
      'whether an incident is major (DORA), significant (NIS2) or serious (AI Act) is decided by the reporting entity.',
  );
  const streams = ctx.streams.join(', ');
  const detected = ctx.detectedAt ? `The analysis that flagged it ran at ${ctx.detectedAt} (audit trail).` : 'The analysis time is in the audit trail.';

  section(
    layout,
    'DORA — major ICT-related incidents (Regulation (EU) 2022/2554)',
    [
      'Financial entities classify ICT-related incidents under Art. 18 DORA against the criteria of Commission Delegated Regulation (EU) 2024/1772 ' +
        'and report major incidents to their competent authority under Art. 19: an initial notification (within 4 hours of classifying the ' +
        'incident as major and no later than 24 hours after becoming aware of it), an intermediate report (within 72 hours of the initial ' +
        'notification) and a final report (within one month of the latest intermediate report).',
    ],
    'Classification criteria (Delegated Regulation (EU) 2024/1772, Art. 1–7)',
    [
      ['Clients, financial counterparts and transactions affected', `Which systems showed the abnormal behaviour (${streams}) and the exact events (data/).`, 'Counts of clients, counterparts and transactions affected.'],
      ['Reputational impact', 'Not measured.', 'Media coverage, complaints, regulatory contacts.'],
      ['Duration and service downtime', `When the behaviour was observed: ${ctx.period}. A lower bound on the duration.`, 'Time of occurrence, downtime, time of recovery.'],
      ['Geographical spread', 'Hosts and locations named in the events, where the logs record them.', 'Member States affected.'],
      ['Data losses (availability, authenticity, integrity, confidentiality)', 'The novel events for each window, which may show errors, failures or access patterns to assess.', 'Whether data was lost, altered or accessed without authorisation.'],
      ['Criticality of services affected', `The affected streams (${streams}) and their sources with SHA-256.`, 'Whether they support critical or important functions.'],
      ['Economic impact', 'Not measured.', 'Direct and indirect costs and losses.'],
    ],
  );
  layout.table(COLUMNS, [
    ['Date and time of detection', `${detected} Each window's start and end are in its section.`, 'Time the entity became aware, time of classification.'],
    ['How the incident was detected', 'Automated anomaly detection on logs (compression-based; method appendix), with a p-value and FDR control.', '—'],
    ['Description of the incident', 'Per anomaly: the explanation, the metrics against the baseline, the top novel events.', 'Business description, root cause (final report).'],
    ['Affected components and systems', 'The streams and sources listed in this report and the manifest.', 'Mapping to business services.'],
    ['Integrity of the evidence', 'Ed25519 signature, SHA-256 of every file, hash-chained audit trail, re-computable results.', '—'],
  ], { caption: 'Reporting fields (initial, intermediate and final reports)', fontSize: 8 });

  section(
    layout,
    'NIS2 — Art. 23 reporting obligations (Directive (EU) 2022/2555)',
    [
      'Essential and important entities notify significant incidents to their CSIRT or competent authority in stages (Art. 23(4)). ' +
        `This bundle covers ${ctx.anomalies} flagged window(s) observed ${ctx.period}.`,
    ],
    'Art. 23(4) stages and the fields this evidence supports',
    [
      ['(a) Early warning — without undue delay, within 24 hours of becoming aware', `When the deviation was observed (${ctx.period}) and when it was detected. ${detected}`, 'Whether unlawful or malicious acts are suspected; possible cross-border impact.'],
      ['(b) Incident notification — within 72 hours of becoming aware', 'Initial assessment of severity: excess bits, p- and q-values, novel events per window; the novel lines as candidate indicators of compromise.', 'Impact on services and recipients; confirmed indicators of compromise.'],
      ['(c) Intermediate report — on request of the CSIRT or authority', 'Triage status and notes recorded in the case; a later export of the same anomalies.', 'Status updates.'],
      ['(d) Final report — within one month of the incident notification', 'Detailed description of what changed, with the data to re-compute it (anomaly sections, data/).', 'Severity and impact; type of threat or root cause; mitigation applied and ongoing; cross-border impact.'],
      ['(e) Progress report — if the incident is still ongoing at the final report', 'New exports as the case evolves; the audit trail links them.', 'Final report within one month of handling the incident.'],
    ],
  );

  const llm = ctx.llmStreams.length > 0
    ? `LLM streams in this bundle: ${ctx.llmStreams.join(', ')}.`
    : 'This bundle holds no LLM prompt or completion streams; the mapping below applies when a bundle covers the inputs and outputs of an AI system.';
  section(
    layout,
    'EU AI Act — LLM streams (Regulation (EU) 2024/1689)',
    [
      `For AI systems, prompts and completions arrive as their own streams (OpenTelemetry gen_ai.* attributes). ${llm}`,
    ],
    'Articles and the fields this evidence supports',
    [
      ['Art. 12 Record-keeping — automatic logging over the lifetime of a high-risk system', 'A tamper-evident record of the logged events (signature, SHA-256, audit chain), identifying windows where inputs or outputs departed from their baseline: situations that may present a risk (Art. 12(2)(a)).', 'Retention of the full logs; the system\'s intended purpose.'],
      ['Art. 72 Post-market monitoring by providers', 'Drift and novelty findings over the system\'s operation, with the method, parameters and seed that reproduce them.', 'The post-market monitoring plan and its conclusions.'],
      ['Art. 73 Reporting of serious incidents', 'When the behaviour was observed, what changed, the exact prompts/completions involved.', 'Causal link to the incident, harm; report within 15 days of awareness (2 days for a widespread infringement or critical-infrastructure disruption, 10 days for a death).'],
    ],
  );
}
