import { z } from 'zod';

export const Health = z
  .object({
    status: z.literal('ok'),
    /** Things that work but need the operator (a token file whose new content cannot be used); no paths. */
    warnings: z.array(z.string()).optional(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
