export const DEFAULT_PIPELINE = ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won'] as const;
export const OUTCOMES = ['open', 'won', 'lost', 'junk'] as const;
export const LEAD_KINDS = ['form', 'call', 'chat', 'email', 'manual', 'import'] as const;
export const TEMPERATURES = ['cold', 'warm', 'hot'] as const;
/** The stage from which a lead counts as qualified (CPQL). */
export const QUALIFIED_STAGE = 'qualified';
/** The stage whose first entry is "first contact" (speed to first contact). */
export const CONTACTED_STAGE = 'contacted';
