/**
 * Sets `obj[key]` as an own, enumerable data field. A key named `__proto__`
 * (JSON.parse and OTLP attributes can carry one) would otherwise set the
 * object's prototype, or vanish when the value is not an object.
 */
export function setOwnField<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
