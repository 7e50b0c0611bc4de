import type { StaffRole } from '../staff-user.entity';

export interface StaffUserResponseDto {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
}

export interface ApiTokenResponseDto {
  id: string;
  name: string;
  createdAt: string;
  /** The token itself: shown in this answer only. */
  token: string;
}
