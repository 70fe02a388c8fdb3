/** Earlier / Later buttons for a paged view. */
export function Pager({ canBack, canForward, onBack, onForward }: { canBack: boolean; canForward: boolean; onBack(): void; onForward(): void }): React.JSX.Element {
  return (
    <>
      <button type="button" className="btn" disabled={!canBack} onClick={onBack}>
        ← Earlier
      </button>
      <button type="button" className="btn" disabled={!canForward} onClick={onForward}>
        Later →
      </button>
    </>
  );
}
