/** A row asked for by id does not exist (the REST API answers 404). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
