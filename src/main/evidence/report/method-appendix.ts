// The method appendix (DESIGN.md §4 in words and formulas) and the
// verification instructions: what an auditor needs to re-check the numbers.
import { PROFILES } from '../../../core';
import type { ManifestAnalysis, ManifestSource } from '../bundle-format';
import type { PdfLayout } from './pdf-layout';
import { fmtInt } from './format';

const FORMULAS: [string, string][] = [
  ['C(x)', 'compressed size of x in bytes under the pinned compressor (table below).'],
  ['Compression ratio', 'CR(x) = C(x) / |x|, lower = more redundant. CR_W for the window, CR_B for B_ref, a baseline sample of the same byte length as W.'],
  ['Delta bits', 'Δbits = 8 · (C(W) − C(B_ref)) / |W| bits per byte; positive = the window needs more bits.'],
  ['Entropy', 'H(x) = −Σ pᵢ · log₂ pᵢ over byte frequencies, bits per byte.'],
  ['NCD', 'NCD(X, Y) = (C(XY) − min(C(X), C(Y))) / max(C(X), C(Y)), between W and the equal-size B_ref.'],
  ['Conditional cost', 'K(W|B) = C(B·W) − C(B), computed as W compressed with the baseline as dictionary; novelty = K(W|B) / C(W).'],
  ['Per-event cost', 'cᵢ = bits to encode event i given the baseline; it ranks the lines behind a finding.'],
  ['Test statistic', 'two looks at the window\'s costs: S_τ = Σ max(0, cᵢ − τ) for τ a high quantile of the pooled calibration and window costs (a few novel events) and for τ = their median (most events costlier); each standardised by its exact permutation mean and standard deviation, T = the larger. Excess bits = S_τ − E[S_τ] of the leading look.'],
  ['p-value', 'p = (1 + #{T_perm ≥ T_obs}) / (1 + N), H0: window events are exchangeable with baseline events. The permutations come from a generator seeded with (seed, stream, window), so each window reproduces alone and in any order. A window no permutation matched is re-tested with 10× and 100× N, or bounded by rigorous tail bounds (hypergeometric, Chernoff, top-values/rest split; the union over the two looks).'],
  ['Decision', 'q-values by Benjamini–Hochberg across all windows of the analysis (false-discovery rate α); a window is anomalous when q ≤ α and its excess bits reach the profile minimum. Flagged windows are kept out of later baselines, so an incident does not become normal.'],
  ['Baseline', 'the events before the window (for the first windows of a batch analysis, the events after it). Its recent half is the dictionary (reference); its older half calibrates the test. Usual ranges are the 5th–95th percentiles over window-sized chunks of the calibration half.'],
];

/** Each policy by name with its rules: what was masked, pseudonymised or dropped before analysis. */
function redactionText(a: ManifestAnalysis): string {
  if (a.redactionPolicies.length === 0) return 'none recorded';
  return a.redactionPolicies
    .map((p) => `${p.name}: ${p.rules.map((r) => (r.kind === 'regex' ? `${r.name} /${r.pattern}/ ${r.mode}` : `${r.kind} ${r.mode}`)).join(', ') || 'no rules'}`)
    .join('\n');
}

function windowingText(a: ManifestAnalysis): string {
  const w = a.params.windowing;
  return w.kind === 'count'
    ? `count windows: baseline ${fmtInt(w.baseline)} events, window ${fmtInt(w.window)}, hop ${fmtInt(w.hop)}`
    : `time windows: ${fmtInt(w.windowMs)} ms, hop ${fmtInt(w.hopMs)} ms, baseline ${fmtInt(w.baseline)} events`;
}

export function renderMethodAppendix(layout: PdfLayout, analyses: readonly ManifestAnalysis[], sources: readonly ManifestSource[]): void {
  layout.newPage();
  layout.heading('Appendix A — Method');
  layout.paragraph(
    'Driftlock uses compression-based anomaly detection: a compressor that has seen a stream\'s recent history needs few bits for events like ' +
      'those and many bits for events that are new. Events are first canonicalised (timestamps, ids, numbers, addresses become typed ' +
      'placeholders such as <TS> or <NUM>), so a window stands out for what it says, not for its timestamps. For a window W of n events ' +
      'against its baseline B:',
  );
  layout.table(
    [
      { header: 'Quantity', width: 1.3 },
      { header: 'Definition', width: 5 },
    ],
    FORMULAS.map(([a, b]) => [a, b]),
    { fontSize: 8.2 },
  );

  for (const a of analyses) {
    const profile = PROFILES[a.params.profile];
    layout.heading(`Parameters of analysis ${a.id}`, 2);
    layout.keyValues(
      [
        ['Windowing', windowingText(a)],
        ['Permutations (N)', fmtInt(a.params.permutations)],
        ['Seed', String(a.params.seed)],
        ['Profile', `${a.params.profile}: FDR α = ${profile.alpha}, minimum excess ${profile.minExcessBits} bits`],
        ['Baseline rule', a.params.causal ? 'causal (history only)' : 'batch (first windows borrow from later events)'],
        ['Top events kept', String(a.params.topEvents)],
      ],
      { size: 8.5, labelWidth: 130 },
    );
    const pin = a.compressor;
    layout.keyValues(
      [
        ['Compressor', `${pin.name} ${pin.formatVersion}, level ${pin.level}`],
        ['Library', `${pin.library} ${pin.libraryVersion}`],
        ['Parameters', Object.entries(pin.params).map(([k, v]) => `${k}=${v}`).join(', ')],
      ],
      { size: 8.5, labelWidth: 130 },
    );
    layout.keyValues([['Redaction', redactionText(a)]], {
      size: 8.5,
      labelWidth: 130,
    });
  }

  if (sources.length > 0) {
    layout.table(
      [
        { header: 'Source', width: 2.4 },
        { header: 'Kind', width: 0.7 },
        { header: 'Bytes', width: 0.9, align: 'right' },
        { header: 'SHA-256', width: 4.2, font: 'mono' },
      ],
      sources.map((s) => [s.name, s.kind, fmtInt(s.size), s.sha256]),
      { caption: 'Input sources', fontSize: 7.5 },
    );
  }
}

export function renderVerification(layout: PdfLayout, fingerprint: string, shortFingerprint: string): void {
  layout.newPage();
  layout.heading('Appendix B — How to verify this bundle');
  layout.paragraph(
    'This report is one file of a signed evidence bundle (a zip). Its authority comes from the bundle: manifest.json lists every file with its ' +
      'SHA-256 and is signed with Ed25519; the data/ files hold the exact events each window was computed from, so the numbers in this report ' +
      'can be re-computed on any machine, offline.',
  );
  layout.heading('1. Check who signed it', 3);
  layout.paragraph('The signing key\'s fingerprint (SHA-256 of the raw Ed25519 public key) is:');
  layout.paragraph(fingerprint, { font: 'mono', size: 8.5 });
  layout.paragraph(`Short form: ${shortFingerprint}. Compare it with the fingerprint your organisation published for its evidence key, by a channel other than this bundle.`);
  layout.heading('2. Run the verifier', 3);
  layout.paragraph(`driftlock verify bundle.zip --key ${fingerprint}`, { font: 'mono', size: 8 });
  layout.bullets([
    'signature — the Ed25519 signature over manifest.json (RFC 8785 canonical JSON) holds, and the key is the one the manifest names.',
    'signer — with --key, the signing key is the one you expect.',
    'files and hashes — the zip holds exactly the files the manifest lists, each with the listed SHA-256 and size.',
    'audit — every audit row matches its hash, consecutive rows link, and the slice ends at the chain head named in the manifest.',
    'compressor pin — this machine\'s compressor produces the pinned format with the pinned parameters.',
    'windows — each window\'s metrics are re-computed from data/ and must equal the recorded ones exactly ("reproduced").',
    'decision — q-values (Benjamini–Hochberg), flags and explanations follow from the recorded p-values.',
  ]);
  layout.paragraph('Exit status 0: every check passed. 1: a check failed; the report names the file or field. 2: the input is not a readable bundle (not a zip, truncated).');
  layout.heading('3. Without Driftlock', 3);
  layout.paragraph(
    'manifest.json is stored in its canonical form, so standard tools can check it. Write signature.json\'s publicKey as an Ed25519 public key ' +
      '(PEM) and its signature as raw bytes (base64 -d), then run:',
  );
  layout.paragraph('openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in manifest.json -sigfile signature.bin', { font: 'mono', size: 8 });
  layout.paragraph('sha256sum over the extracted files must give the values in manifest.json\'s files list.');
}
