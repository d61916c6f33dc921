const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID, as a `uuid` column reads it: a reference by id rather than by name. */
export const isUuid = (value: string): boolean => UUID.test(value);
