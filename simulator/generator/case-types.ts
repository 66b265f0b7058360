/**
 * The static shape of the simulated program: case types, their properties and
 * the forms that create and update them. Case generation, form bodies and the
 * application API are all derived from these definitions, so they always agree.
 */

export const CASE_TYPES = ['household', 'person', 'pregnancy', 'visit'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export type PropertyKind = 'string' | 'number' | 'date' | 'choice';

export interface PropertyDef {
  name: string;
  kind: PropertyKind;
  /** Fixed choices; `village` draws from the domain's own locations instead. */
  choices?: readonly string[];
}

const YES_NO = ['yes', 'no'] as const;

export const CASE_PROPERTIES: Record<CaseType, readonly PropertyDef[]> = {
  household: [
    { name: 'village', kind: 'choice' },
    { name: 'head_name', kind: 'string' },
    { name: 'household_size', kind: 'number' },
    { name: 'water_source', kind: 'choice', choices: ['piped', 'borehole', 'protected_well', 'surface_water'] },
    { name: 'has_latrine', kind: 'choice', choices: YES_NO },
    { name: 'registration_date', kind: 'date' },
    { name: 'gps', kind: 'string' },
  ],
  person: [
    { name: 'first_name', kind: 'string' },
    { name: 'last_name', kind: 'string' },
    { name: 'sex', kind: 'choice', choices: ['female', 'male'] },
    { name: 'dob', kind: 'date' },
    { name: 'age_years', kind: 'number' },
    { name: 'phone_number', kind: 'string' },
    { name: 'relationship_to_head', kind: 'choice', choices: ['head', 'spouse', 'child', 'parent', 'other'] },
    { name: 'education_level', kind: 'choice', choices: ['none', 'primary', 'secondary', 'tertiary'] },
  ],
  pregnancy: [
    { name: 'lmp', kind: 'date' },
    { name: 'edd', kind: 'date' },
    { name: 'gravida', kind: 'number' },
    { name: 'parity', kind: 'number' },
    { name: 'risk_level', kind: 'choice', choices: ['low', 'medium', 'high'] },
    { name: 'anc_visit_count', kind: 'number' },
    { name: 'pregnancy_outcome', kind: 'choice', choices: ['ongoing', 'live_birth', 'stillbirth', 'miscarriage'] },
  ],
  visit: [
    { name: 'visit_date', kind: 'date' },
    { name: 'visit_type', kind: 'choice', choices: ['anc', 'pnc', 'growth_monitoring', 'sick_child', 'follow_up'] },
    { name: 'weight_kg', kind: 'number' },
    { name: 'temperature_c', kind: 'number' },
    { name: 'muac_cm', kind: 'number' },
    { name: 'danger_signs', kind: 'choice', choices: ['none', 'fever', 'bleeding', 'convulsions', 'fast_breathing'] },
    { name: 'referred', kind: 'choice', choices: YES_NO },
    { name: 'notes', kind: 'string' },
  ],
};

/** Properties a later form (or /_sim mutate) may change; the rest are set once at registration. */
export const CHANGEABLE_PROPERTIES: Record<CaseType, readonly string[]> = {
  household: ['water_source', 'has_latrine', 'household_size'],
  person: ['phone_number', 'education_level'],
  pregnancy: ['risk_level', 'anc_visit_count'],
  visit: ['referred', 'danger_signs', 'notes'],
};

export type QuestionType = 'Text' | 'Int' | 'Decimal' | 'Date' | 'Select' | 'PhoneNumber';

export interface QuestionDef {
  kind: 'question';
  id: string;
  label: string;
  type: QuestionType;
  /** The case property this question saves to, if any. */
  property?: string;
  options?: readonly string[];
}

export interface GroupDef {
  kind: 'group';
  id: string;
  label: string;
  children: readonly FormNode[];
}

export type FormNode = QuestionDef | GroupDef;

export interface FormDef {
  /** Stable key: seeds the form's xmlns and unique_id. */
  key: string;
  name: string;
  caseType: CaseType;
  /** `register` forms open the case (create block, parent index); `followup` forms update or close it. */
  role: 'register' | 'followup';
  children: readonly FormNode[];
}

const q = (id: string, label: string, type: QuestionType, property?: string, options?: readonly string[]): QuestionDef => ({
  kind: 'question',
  id,
  label,
  type,
  ...(property ? { property } : {}),
  ...(options ? { options } : {}),
});
const group = (id: string, label: string, children: readonly FormNode[]): GroupDef => ({ kind: 'group', id, label, children });

const choicesOf = (type: CaseType, name: string): readonly string[] =>
  CASE_PROPERTIES[type].find((p) => p.name === name)?.choices ?? [];

export const FORMS: readonly FormDef[] = [
  {
    key: 'household-register',
    name: 'Register Household',
    caseType: 'household',
    role: 'register',
    children: [
      group('household_info', 'Household information', [
        q('village', 'Village', 'Select', 'village'),
        q('head_name', 'Name of household head', 'Text', 'head_name'),
        q('household_size', 'Number of people living here', 'Int', 'household_size'),
        q('gps', 'GPS location', 'Text', 'gps'),
      ]),
      group('wash', 'Water and sanitation', [
        q('water_source', 'Main source of drinking water', 'Select', 'water_source', choicesOf('household', 'water_source')),
        q('has_latrine', 'Does the household have a latrine?', 'Select', 'has_latrine', YES_NO),
      ]),
      q('registration_date', 'Registration date', 'Date', 'registration_date'),
    ],
  },
  {
    key: 'household-update',
    name: 'Update Household',
    caseType: 'household',
    role: 'followup',
    children: [
      group('wash', 'Water and sanitation', [
        q('water_source', 'Main source of drinking water', 'Select', 'water_source', choicesOf('household', 'water_source')),
        q('has_latrine', 'Does the household have a latrine?', 'Select', 'has_latrine', YES_NO),
      ]),
      q('household_size', 'Number of people living here', 'Int', 'household_size'),
    ],
  },
  {
    key: 'person-register',
    name: 'Register Person',
    caseType: 'person',
    role: 'register',
    children: [
      group('demographics', 'Demographics', [
        q('first_name', 'First name', 'Text', 'first_name'),
        q('last_name', 'Last name', 'Text', 'last_name'),
        q('sex', 'Sex', 'Select', 'sex', choicesOf('person', 'sex')),
        q('dob', 'Date of birth', 'Date', 'dob'),
        q('age_years', 'Age in years', 'Int', 'age_years'),
      ]),
      group('contact', 'Contact', [q('phone_number', 'Phone number', 'PhoneNumber', 'phone_number')]),
      q('relationship_to_head', 'Relationship to household head', 'Select', 'relationship_to_head', choicesOf('person', 'relationship_to_head')),
      q('education_level', 'Highest education level', 'Select', 'education_level', choicesOf('person', 'education_level')),
    ],
  },
  {
    key: 'person-update',
    name: 'Update Person',
    caseType: 'person',
    role: 'followup',
    children: [
      group('contact', 'Contact', [q('phone_number', 'Phone number', 'PhoneNumber', 'phone_number')]),
      q('education_level', 'Highest education level', 'Select', 'education_level', choicesOf('person', 'education_level')),
      q('consent_given', 'Consent to follow-up?', 'Select', undefined, YES_NO),
    ],
  },
  {
    key: 'pregnancy-register',
    name: 'Register Pregnancy',
    caseType: 'pregnancy',
    role: 'register',
    children: [
      group('pregnancy_details', 'Pregnancy details', [
        q('lmp', 'Last menstrual period', 'Date', 'lmp'),
        q('edd', 'Expected delivery date', 'Date', 'edd'),
        q('gravida', 'Gravida', 'Int', 'gravida'),
        q('parity', 'Parity', 'Int', 'parity'),
      ]),
      group('risk', 'Risk assessment', [
        q('risk_level', 'Risk level', 'Select', 'risk_level', choicesOf('pregnancy', 'risk_level')),
        q('previous_complications', 'Previous complications?', 'Select', undefined, YES_NO),
      ]),
      q('pregnancy_outcome', 'Status', 'Select', 'pregnancy_outcome', choicesOf('pregnancy', 'pregnancy_outcome')),
      q('anc_visit_count', 'ANC visits so far', 'Int', 'anc_visit_count'),
    ],
  },
  {
    key: 'pregnancy-anc',
    name: 'ANC Visit',
    caseType: 'pregnancy',
    role: 'followup',
    children: [
      group('anc', 'Antenatal care', [
        q('anc_visit_count', 'ANC visits so far', 'Int', 'anc_visit_count'),
        q('risk_level', 'Risk level', 'Select', 'risk_level', choicesOf('pregnancy', 'risk_level')),
        q('blood_pressure', 'Blood pressure', 'Text'),
      ]),
      q('pregnancy_outcome', 'Status', 'Select', 'pregnancy_outcome', choicesOf('pregnancy', 'pregnancy_outcome')),
    ],
  },
  {
    key: 'visit-register',
    name: 'Home Visit',
    caseType: 'visit',
    role: 'register',
    children: [
      q('visit_date', 'Visit date', 'Date', 'visit_date'),
      q('visit_type', 'Visit type', 'Select', 'visit_type', choicesOf('visit', 'visit_type')),
      group('vitals', 'Vitals', [
        q('weight_kg', 'Weight (kg)', 'Decimal', 'weight_kg'),
        q('temperature_c', 'Temperature (°C)', 'Decimal', 'temperature_c'),
        q('muac_cm', 'MUAC (cm)', 'Decimal', 'muac_cm'),
      ]),
      group('assessment', 'Assessment', [
        q('danger_signs', 'Danger signs', 'Select', 'danger_signs', choicesOf('visit', 'danger_signs')),
        q('referred', 'Referred to facility?', 'Select', 'referred', YES_NO),
        q('notes', 'Notes', 'Text', 'notes'),
      ]),
    ],
  },
  {
    key: 'visit-followup',
    name: 'Visit Follow-up',
    caseType: 'visit',
    role: 'followup',
    children: [
      group('assessment', 'Assessment', [
        q('danger_signs', 'Danger signs', 'Select', 'danger_signs', choicesOf('visit', 'danger_signs')),
        q('referred', 'Referred to facility?', 'Select', 'referred', YES_NO),
        q('referral_completed', 'Did the client reach the facility?', 'Select', undefined, YES_NO),
      ]),
      q('notes', 'Notes', 'Text', 'notes'),
    ],
  },
];

/** A form that ships in the second application but never receives submissions (real domains have those). */
export const UNUSED_FORMS: readonly FormDef[] = [
  {
    key: 'referral-feedback',
    name: 'Referral Feedback',
    caseType: 'visit',
    role: 'followup',
    children: [
      q('facility_name', 'Facility name', 'Text'),
      q('seen_by_clinician', 'Seen by a clinician?', 'Select', undefined, YES_NO),
      q('treatment_given', 'Treatment given', 'Text'),
    ],
  },
];

export function formFor(caseType: CaseType, role: FormDef['role']): FormDef {
  const form = FORMS.find((f) => f.caseType === caseType && f.role === role);
  if (!form) throw new Error(`no ${role} form for ${caseType}`);
  return form;
}
