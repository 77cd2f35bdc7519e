CREATE TABLE `signup_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`method` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`locale` text NOT NULL,
	`phone` text,
	`phone_verified_at` integer,
	`return_to` text,
	`code_hash` text NOT NULL,
	`token_hash` text,
	`browser_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signup_requests_token_hash` ON `signup_requests` (`token_hash`);--> statement-breakpoint
CREATE INDEX `signup_requests_email` ON `signup_requests` (`email`,`created_at`);