CREATE TABLE `federated_profile_sync` (
	`identity_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`email` text,
	`locale` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`identity_id`) REFERENCES `federated_identities`(`id`) ON UPDATE no action ON DELETE cascade
);
