/** The chosen transport, available to every component without prop drilling. */
import { createContext, useContext, useEffect, useState } from 'react';
import type { DriftlockApi } from '../../shared/api';
import { useApp } from '../state/app-store';
import type { Transport } from './transport';

export const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const t = useContext(TransportContext);
  if (!t) throw new Error('useTransport outside TransportContext');
  return t;
}

export function useApi(): DriftlockApi {
  return useTransport().api;
}

export interface Query<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when its deps or the case revision change; keeps the previous
 * data while reloading so screens do not flash empty.
 */
export function useQuery<T>(load: (api: DriftlockApi) => Promise<T>, deps: readonly unknown[]): Query<T> {
  const api = useApi();
  const revision = useApp((s) => s.revision);
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load(api).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: Error) => live && setState((s) => ({ data: s.data, error: err.message, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [api, revision, nonce, ...deps]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}
