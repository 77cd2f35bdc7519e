ALTER TABLE `email_tokens` ADD `return_to` text;--> statement-breakpoint
ALTER TABLE `email_tokens` ADD `client_id` text;--> statement-breakpoint
ALTER TABLE `one_time_codes` ADD `client_id` text;