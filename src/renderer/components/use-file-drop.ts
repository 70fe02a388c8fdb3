/** Drag-and-drop of files onto an element: the hover state and the handlers to spread on it. */
import { useState, type DragEvent } from 'react';

export function useFileDrop(onFiles: (files: File[]) => void): {
  over: boolean;
  handlers: { onDragOver(e: DragEvent): void; onDragLeave(): void; onDrop(e: DragEvent): void };
} {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver(e) {
        e.preventDefault();
        setOver(true);
      },
      onDragLeave() {
        setOver(false);
      },
      onDrop(e) {
        e.preventDefault();
        setOver(false);
        onFiles([...e.dataTransfer.files]);
      },
    },
  };
}
