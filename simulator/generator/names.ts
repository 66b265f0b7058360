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
