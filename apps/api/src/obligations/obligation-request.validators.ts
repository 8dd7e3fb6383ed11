// Shape checks shared by the obligation request DTOs: slugs for parties and phases, and the
// "one or the other, not both" rule for deadlines (a 400, before the decider sees the body).
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** Party ids and phase keys: 1-64 of a-z, 0-9 and -. */
export const SLUG = /^[a-z0-9-]{1,64}$/;

/** Refuses this property when `other` is given on the same body too (null counts as absent). */
export function IsAbsentWith(other: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAbsentWith',
      target: object.constructor,
      propertyName,
      constraints: [other],
      options: {
        message: `give either ${other} or ${propertyName}, not both`,
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const otherValue = (args.object as Record<string, unknown>)[other];
          return value === undefined || value === null || otherValue == null;
        },
      },
    });
}
