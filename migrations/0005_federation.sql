CREATE TABLE `federated_identities` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`iss` text NOT NULL,
	`sub` text NOT NULL,
	`email` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `federated_identities_iss_sub` ON `federated_identities` (`iss`,`sub`);--> statement-breakpoint
CREATE INDEX `federated_identities_user` ON `federated_identities` (`user_id`);--> statement-breakpoint
CREATE TABLE `federation_pending_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`iss` text NOT NULL,
	`sub` text NOT NULL,
	`email` text,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `federation_pending_links_expires` ON `federation_pending_links` (`expires_at`);--> statement-breakpoint
CREATE TABLE `federation_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`binding_hash` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`return_to` text NOT NULL,
	`link_user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `federation_states_expires` ON `federation_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `identity_providers` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`display_name` text NOT NULL,
	`client_id` text NOT NULL,
	`encrypted_client_secret` text,
	`issuer` text,
	`scopes` text,
	`trust_email` integer DEFAULT false NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`attribute_mapping` text,
	`settings` text,
	`encrypted_private_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
