/**
 * Directives (chỉ đạo / yêu cầu giải trình): committee staff ask units to explain, each addressed unit's operators
 * answer for their own unit, staff close, send back or withdraw. A directive addressed to N units has N
 * assignments, each with its own state:
 *   open → answered → closed
 *   answered → returned → answered → …
 *   any not closed → withdrawn (staff withdraw the directive)
 * The due date is a calendar DATE (YYYY-MM-DD) in Viet Nam time: an assignment is overdue when it is not closed
 * (nor withdrawn) and today's Viet Nam date is after the due date.
 */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const DirectiveSourceSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('alert'), alertId: z.number().int().positive() }),
    z.strictObject({ kind: z.literal('target'), targetId: z.number().int().positive(), metric: z.string().min(1) }),
    z.strictObject({ kind: z.literal('late_report'), metric: z.string().min(1) }),
    z.strictObject({ kind: z.literal('none') }),
  ])
  .meta({ id: 'DirectiveSource' });
export type DirectiveSource = z.infer<typeof DirectiveSourceSchema>;

export const ASSIGNMENT_STATES = ['open', 'answered', 'returned', 'closed', 'withdrawn'] as const;
export const AssignmentStateSchema = z.enum(ASSIGNMENT_STATES);
export type AssignmentState = z.infer<typeof AssignmentStateSchema>;

export const DIRECTIVE_OUTCOMES = ['resolved', 'accepted_with_conditions', 'escalated'] as const;
export const DirectiveOutcomeSchema = z.enum(DIRECTIVE_OUTCOMES);
export type DirectiveOutcome = z.infer<typeof DirectiveOutcomeSchema>;

/** Attachment media types accepted (checked by magic bytes, not by the declared type). */
export const DIRECTIVE_ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const AttachmentTypeSchema = z.enum(DIRECTIVE_ATTACHMENT_TYPES);

export const DirectiveInput = z
  .strictObject({
    titleVi: z.string().trim().min(1).max(300),
    titleEn: z.string().trim().max(300).optional(),
    textVi: z.string().trim().min(1).max(10_000),
    textEn: z.string().trim().max(10_000).optional(),
    units: z.array(z.string().min(1)).min(1).max(100),
    /** Viet Nam calendar date; overdue from the next day */
    dueDate: isoDate,
    source: DirectiveSourceSchema.default({ kind: 'none' }),
  })
  .meta({ id: 'DirectiveInput' });
export type DirectiveInput = z.input<typeof DirectiveInput>;

export const AttachmentInfoSchema = z
  .object({
    fileName: z.string(),
    contentType: AttachmentTypeSchema,
    size: z.number().int(),
    /** GET this path (same credentials) to download */
    href: z.string(),
  })
  .meta({ id: 'DirectiveAttachment' });
export type AttachmentInfo = z.infer<typeof AttachmentInfoSchema>;

export const AssignmentSchema = z
  .object({
    unit: z.string(),
    state: AssignmentStateSchema,
    overdue: z.boolean(),
    /** the latest answer (kept across a send-back until answered again) */
    explanation: z.string().nullable(),
    cause: z.string().nullable(),
    /** planned fix date, YYYY-MM-DD */
    fixDate: z.string().nullable(),
    answeredAt: z.string().nullable(),
    answeredBy: z.string().nullable(),
    attachment: AttachmentInfoSchema.nullable(),
    returnReason: z.string().nullable(),
    outcome: DirectiveOutcomeSchema.nullable(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DirectiveAssignment' });
export type Assignment = z.infer<typeof AssignmentSchema>;

export const DIRECTIVE_EVENT_KINDS = ['issued', 'answered', 'attachment', 'returned', 'closed', 'withdrawn'] as const;
export const DirectiveEventKindSchema = z.enum(DIRECTIVE_EVENT_KINDS);
export type DirectiveEventKind = z.infer<typeof DirectiveEventKindSchema>;

export const DirectiveEventSchema = z
  .object({
    seq: z.number().int(),
    directiveId: z.number().int(),
    /** null: the event concerns the whole directive (issued, withdrawn) */
    unit: z.string().nullable(),
    kind: DirectiveEventKindSchema,
    actor: z.string(),
    at: z.string(),
    text: z.string().nullable(),
  })
  .meta({ id: 'DirectiveEvent' });
export type DirectiveEvent = z.infer<typeof DirectiveEventSchema>;

export const DirectiveSchema = z
  .object({
    id: z.number().int(),
    titleVi: z.string(),
    titleEn: z.string().nullable(),
    textVi: z.string(),
    textEn: z.string().nullable(),
    dueDate: z.string(),
    source: DirectiveSourceSchema,
    issuedBy: z.string(),
    issuedAt: z.string(),
    withdrawnAt: z.string().nullable(),
    /** operators see only their own unit's assignment */
    assignments: z.array(AssignmentSchema),
  })
  .meta({ id: 'Directive' });
export type Directive = z.infer<typeof DirectiveSchema>;

export const DirectiveDetailSchema = DirectiveSchema.extend({
  history: z.array(DirectiveEventSchema),
}).meta({ id: 'DirectiveDetail' });
export type DirectiveDetail = z.infer<typeof DirectiveDetailSchema>;

export const DirectivesQuery = z.object({
  unit: z.string().optional(),
  state: AssignmentStateSchema.optional(),
  dueBefore: isoDate.optional(),
  dueAfter: isoDate.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** id of the last directive of the previous page (results ordered by id descending) */
  before: z.coerce.number().int().positive().optional(),
});
export type DirectivesQuery = z.infer<typeof DirectivesQuery>;

export const DirectiveListSchema = z
  .object({ items: z.array(DirectiveSchema), nextBefore: z.number().int().nullable() })
  .meta({ id: 'DirectiveList' });
export type DirectiveList = z.infer<typeof DirectiveListSchema>;

export const DirectiveAnswerInput = z
  .strictObject({
    explanation: z.string().trim().min(1).max(10_000),
    cause: z.string().trim().min(1).max(2_000),
    fixDate: isoDate,
  })
  .meta({ id: 'DirectiveAnswerInput' });
export type DirectiveAnswerInput = z.infer<typeof DirectiveAnswerInput>;

export const DirectiveReturnInput = z.strictObject({ reason: z.string().trim().min(1).max(2_000) }).meta({ id: 'DirectiveReturnInput' });
export type DirectiveReturnInput = z.infer<typeof DirectiveReturnInput>;

export const DirectiveCloseInput = z
  .strictObject({ outcome: DirectiveOutcomeSchema, comment: z.string().trim().max(2_000).optional() })
  .meta({ id: 'DirectiveCloseInput' });
export type DirectiveCloseInput = z.infer<typeof DirectiveCloseInput>;

export const DirectiveWithdrawInput = z
  .strictObject({ reason: z.string().trim().max(2_000).optional() })
  .meta({ id: 'DirectiveWithdrawInput' });
export type DirectiveWithdrawInput = z.infer<typeof DirectiveWithdrawInput>;

/** GET /api/v1/directives/overdue: per unit with at least one overdue assignment (viewers may read it). */
export const OverdueSummarySchema = z
  .object({
    /** today's Viet Nam date the summary was computed for */
    asOf: z.string(),
    units: z.array(
      z.object({
        unit: z.string(),
        overdue: z.number().int(),
        oldest: z.object({ directiveId: z.number().int(), titleVi: z.string(), titleEn: z.string().nullable(), dueDate: z.string() }),
      }),
    ),
  })
  .meta({ id: 'DirectiveOverdueSummary' });
export type OverdueSummary = z.infer<typeof OverdueSummarySchema>;

/** Live: one directive change (socket `directives` in LiveTick when subscribed with `directives: true`). */
export interface DirectiveLiveEvent {
  seq: number;
  directiveId: number;
  unit: string | null;
  kind: DirectiveEventKind;
  at: string;
}
