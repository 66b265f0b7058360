/** Word lists the generator draws names, places and notes from. */

export const FEMALE_NAMES = [
  'Amina', 'Grace', 'Fatuma', 'Mercy', 'Esther', 'Halima', 'Joyce', 'Zawadi', 'Aisha', 'Priya', 'Sunita', 'Lakshmi',
  'Nadia', 'Chiamaka', 'Ngozi', 'Adwoa', 'Akosua', 'Mariam', 'Rehema', 'Wanjiru', 'Achieng', 'Nirmala', 'Rukhsana',
  'Thandiwe', 'Lerato', 'Florence', 'Agnes', 'Beatrice', 'Imani', 'Salma',
] as const;

export const MALE_NAMES = [
  'John', 'Peter', 'Joseph', 'Musa', 'Ibrahim', 'Daniel', 'Samuel', 'Kwame', 'Kofi', 'Emeka', 'Chinedu', 'Rajesh',
  'Arjun', 'Vikram', 'Hassan', 'Omari', 'Baraka', 'Juma', 'Otieno', 'Kamau', 'Sipho', 'Thabo', 'Moses', 'David',
  'Elijah', 'Yusuf', 'Ravi', 'Suresh', 'Abdul', 'Tendai',
] as const;

export const SURNAMES = [
  'Otieno', 'Mwangi', 'Kamau', 'Wanjiku', 'Odhiambo', 'Mensah', 'Boateng', 'Okafor', 'Adeyemi', 'Nwosu', 'Banda',
  'Phiri', 'Mutasa', 'Moyo', 'Dlamini', 'Nkosi', 'Sharma', 'Patel', 'Kumar', 'Singh', 'Das', 'Begum', 'Rahman',
  'Hossain', 'Mohamed', 'Hassan', 'Abdi', 'Kiprono', 'Chebet', 'Mutua', 'Njoroge', 'Achieng', 'Owusu', 'Asante',
] as const;

export const VILLAGES = [
  'Kibera', 'Mathare', 'Kisumu Ndogo', 'Nyalenda', 'Obunga', 'Manyatta', 'Kondele', 'Migosi', 'Lolwe', 'Dunga',
  'Rabuor', 'Ahero', 'Kombewa', 'Maseno', 'Bondo', 'Usenge', 'Siaya', 'Ugunja',
] as const;

export const FACILITIES = ['Central Health Centre', 'Lakeside Dispensary', 'Hillview Clinic', 'District Hospital'] as const;

export const TEAMS = ['Team North', 'Team South', 'Team East', 'Team West', 'Supervisors'] as const;

export const NOTES = [
  'Client doing well.',
  'Advised on nutrition and hygiene.',
  'Referred to facility for review.',
  'Follow up next week.',
  'Mother not at home; spoke with caregiver.',
  'Counselled on danger signs.',
  'Household has moved within the village.',
  'Immunisation card seen and up to date.',
  '',
] as const;

/** The location hierarchy above villages: one state, its districts, their facilities (FACILITIES). */
export const STATE_NAME = 'Nyanza';
export const DISTRICTS = ['Kisumu East', 'Kisumu West'] as const;

/** Lookup table content: the immunisation schedule and the danger signs a CHW refers on. */
export const VACCINES = [
  { code: 'bcg', name: 'BCG', nameFr: 'BCG', ageWeeks: '0' },
  { code: 'opv0', name: 'Polio (birth dose)', nameFr: 'Polio (dose de naissance)', ageWeeks: '0' },
  { code: 'penta1', name: 'Pentavalent 1', nameFr: 'Pentavalent 1', ageWeeks: '6' },
  { code: 'penta2', name: 'Pentavalent 2', nameFr: 'Pentavalent 2', ageWeeks: '10' },
  { code: 'penta3', name: 'Pentavalent 3', nameFr: 'Pentavalent 3', ageWeeks: '14' },
  { code: 'measles1', name: 'Measles 1', nameFr: 'Rougeole 1', ageWeeks: '39' },
] as const;

export const DANGER_SIGNS = [
  { code: 'fever', label: 'High fever', action: 'refer_24h' },
  { code: 'bleeding', label: 'Vaginal bleeding', action: 'refer_now' },
  { code: 'convulsions', label: 'Convulsions', action: 'refer_now' },
  { code: 'fast_breathing', label: 'Fast breathing', action: 'refer_24h' },
] as const;
