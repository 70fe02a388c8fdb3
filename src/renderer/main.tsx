import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TransportContext } from './api/api-context';
import { pickTransport } from './api/transport';
import { App } from './App';
import './styles.css';

// A file dropped outside a drop zone must not replace the app with the file.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());

const root = createRoot(document.getElementById('root')!);
const transport = pickTransport();
root.render(
  <StrictMode>
    {'error' in transport ? (
      <div className="state state-error standalone" role="alert">
        <p>{transport.error}</p>
      </div>
    ) : (
      <TransportContext.Provider value={transport}>
        <App />
      </TransportContext.Provider>
    )}
  </StrictMode>,
);
