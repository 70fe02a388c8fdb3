import { createRoot } from 'react-dom/client';

function App(): React.JSX.Element {
  return <h1>Driftlock Desktop</h1>;
}

createRoot(document.getElementById('root')!).render(<App />);
