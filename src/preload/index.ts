// The single bridge between the renderer and main (filled in by the app work).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('driftlock', {});
